"""Build benchmark: the generated corridor tables into a store, g60kg against its peers.

Run from the repository root::

    python benchmarks/build.py --scale 100            # 100,000 firms (~1M triples), median of 3
    python benchmarks/build.py --quick                # scale 1, one run: a CI smoke run
    python benchmarks/build.py --scale 10 --profile   # also cProfile one on-disk build

The tables come from ``benchmarks/generate.py`` (synthetic, written in the loaders' own
format). Tools, each run in a fresh process that reports its own peak resident memory:

- g60kg ``build`` into the on-disk store and into memory (without SHACL validation),
  and a validated on-disk build (the shapes run as SPARQL inside the store);
- morph-kgc 2.10 with the equivalent YARRRML mapping ``benchmarks/morph/corridor.yml``,
  materializing into Oxigraph and into rdflib (peers). morph-kgc pins pyoxigraph<0.4,
  rdflib<7.3 and pandas<3, so it runs from its own virtualenv, ``.bench-venv/``, which
  the benchmark creates with ``python -m venv`` and pip on first use;
- a plain rdflib ``Dataset.add`` loop over the same tables, the same quads (peer);
- pyoxigraph's on-disk ``bulk_load`` of the N-Quads g60kg stores, from a file, in the
  batches and on the threads of a build (a floor: parsing and indexing only, no tables;
  one call for the whole file is slower, since it loads on one core).

The three peers emit exactly the quads of g60kg's named graphs minus its name keys and
its registry of graphs (checked on the generated tables); like them, g60kg stores each
triple once (queries see the union of the graphs). Ratios are times on the same tables: "2.00x" is
twice as fast as that peer. Memory per triple is the peak minus the peak of a bare
interpreter with the same imports, over the triples in the result.

This is a benchmark, not a test: it prints tables and PASS/MISS against the issue's
targets and exits 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common  # noqa: E402
from _conditions import Conditions, stopwatch  # noqa: E402

SCRIPT = Path(__file__).resolve()
MORPH = common.HERE / "morph"
VENV = common.REPO / ".bench-venv"
MORPH_REQUIREMENT = "morph-kgc==2.10.*"
# Targets of the scale issue, on the on-disk build.
TARGET_RATE = 120_000
TARGET_VS_MORPH = 2.0
TARGET_VS_LOOP = 2.0  # the foundation issue: on disk, twice the triples/s of a plain rdflib loop
TARGET_BYTES = 600
# At scale 1000 (about ten million triples), on disk: the large-scale issue's targets.
LARGE_SCALE, TARGET_RATE_LARGE, TARGET_BYTES_LARGE = 1000, 100_000, 500
PEERS = ("morph-kgc → Oxigraph", "morph-kgc → rdflib", "rdflib Dataset.add loop")
FLOOR = "Oxigraph on-disk bulk loads of g60kg's N-Quads, in the build's batches (floor)"
NS = "https://w3id.org/g60kg/"
# Above this scale only the on-disk builds and the floor run: the in-memory build and the
# peers hold the whole graph in memory (the rdflib loop and morph-kgc over 1.5 KB a
# triple at S = 100), which at S = 1000 is more than the machine has.
IN_MEMORY_MAX_SCALE = 100


# -- the child jobs -------------------------------------------------------------------

def _imports() -> None:
    """What every g60kg or rdflib run imports before its clock starts (the bare run too)."""
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import pyoxigraph  # noqa: F401
    import rdflib  # noqa: F401

    import g60kg.build.builder  # noqa: F401


def _rdflib_loop(folder: Path):  # type: ignore[no-untyped-def]
    """The peer: pandas reads the four tables; one ``Dataset.add`` per quad, the quads of
    the YARRRML mapping (benchmarks/morph/corridor.yml)."""
    import pandas as pd
    from rdflib import RDF, RDFS, XSD, Dataset, Literal, URIRef

    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)

    g60, ident, dc = NS + "ontology#", NS + "id/", "http://purl.org/dc/terms/"
    dataset = Dataset()
    graphs: dict[str, Any] = {}

    def graph(source: str):  # type: ignore[no-untyped-def]
        if source not in graphs:
            graphs[source] = dataset.graph(URIRef(NS + "graph/" + source))
        return graphs[source]

    sources = graph("sources")
    for sid, title, publisher, language, kind in read("sources")[["id", "title", "publisher", "language", "kind"]] \
            .itertuples(index=False):
        node = URIRef(ident + "source/" + sid)
        sources.add((node, RDF.type, URIRef(g60 + "Source")))
        for predicate, value in ((dc + "title", title), (dc + "publisher", publisher), (dc + "language", language),
                                 (g60 + "sourceKind", kind)):
            if value:
                sources.add((node, URIRef(predicate), Literal(value)))
    located, sector_p, founded_p, capital_p, part_of = (
        URIRef(g60 + p) for p in ("locatedIn", "sector", "foundedIn", "registeredCapital", "partOf"))
    for frame in (read("places"), read("organizations")):
        columns = {c: frame[c] if c in frame else pd.Series("", index=frame.index)
                   for c in ("city", "sector", "founded", "registered_capital", "parent")}
        rows = zip(frame["id"], frame["class"], frame["name_zh"], frame["name_en"], frame["source"],
                   *columns.values())
        for eid, cls, zh, en, source, city, sector, founded, capital, parent in rows:
            g, node = graph(source), URIRef(ident + eid)
            g.add((node, RDF.type, URIRef(g60 + cls)))
            g.add((node, RDFS.label, Literal(zh, lang="zh")))
            if en:
                g.add((node, RDFS.label, Literal(en, lang="en")))
            if city:
                g.add((node, located, URIRef(ident + city)))
            if sector:
                g.add((node, sector_p, URIRef(ident + "sector/" + sector)))
            if founded:
                g.add((node, founded_p, Literal(founded, datatype=XSD.gYear)))
            if capital:
                g.add((node, capital_p, Literal(capital, datatype=XSD.decimal)))
            if parent:
                g.add((node, part_of, URIRef(ident + parent)))
    relations = read("relations")
    for subject, predicate, obj, source in zip(relations["subject"], relations["predicate"], relations["object"],
                                               relations["source"]):
        graph(source).add((URIRef(ident + subject), URIRef(g60 + predicate), URIRef(ident + obj)))
    return dataset


def _child(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one measured job described by ``spec``; return its figures."""
    _imports()
    tool = spec["tool"]
    out: dict[str, Any] = {"seconds": 0.0, "cpu_s": 0.0, "triples": 0}
    if tool in ("g60kg-disk", "g60kg-memory"):
        from g60kg.build.builder import build
        from g60kg.store import open_store

        location = str(Path(spec["scratch"]) / f"store-{uuid.uuid4().hex[:8]}") if tool == "g60kg-disk" else "memory"
        profiler = None
        if spec.get("profile"):
            import cProfile

            profiler = cProfile.Profile(time.thread_time)  # the building thread's CPU, not the loaders'
            profiler.enable()
        with stopwatch() as clock:
            store = open_store(location)
            report = build([Path(m) for m in spec["mappings"]], store=store, bundled=False,
                           validate=spec.get("validate", False))
        out.update(clock)
        if profiler is not None:
            out["profile"] = _profile_text(profiler, spec.get("profile_file"))
        # report.quads: the quads of the named graphs; len(store): every quad the store holds.
        out.update(triples=report.quads, stored=len(store), issues=len(report.issues))
        if report.validation is not None:
            out["conforms"] = bool(report.validation.conforms)
        if tool == "g60kg-disk":
            del report, store
            out["disk_bytes"] = sum(p.stat().st_size for p in Path(location).rglob("*") if p.is_file())
            shutil.rmtree(location, ignore_errors=True)
    elif tool == "rdflib":
        with stopwatch() as clock:
            dataset = _rdflib_loop(Path(spec["folder"]))
        out.update(clock)
        out["triples"] = sum(1 for _ in dataset.quads((None, None, None, None)))
    elif tool == "oxigraph-bulk":
        from g60kg.store.loading import BackgroundLoader
        from g60kg.store.embedded import LocalStore

        location = Path(spec["scratch"]) / f"bulk-{uuid.uuid4().hex[:8]}"
        with stopwatch() as clock:
            store = LocalStore(location)
            data = Path(spec["nquads"]).read_bytes()
            with BackgroundLoader(store) as sink:  # the build's batches, on its loader threads
                start = 0
                while start < len(data):
                    end = data.find(b"\n", start + 1_000_000) + 1 or len(data)
                    sink(data[start:end])
                    start = end
            store.oxigraph.flush()
        out.update(clock)
        out["triples"] = len(store)
        del store
        shutil.rmtree(location, ignore_errors=True)
    elif tool != "bare":
        raise SystemExit(f"unknown tool {tool!r}")
    out["peak_mb"] = common.peak_mb()
    return out


def _profile_text(profiler, dump: str | None) -> str:  # type: ignore[no-untyped-def]
    import io
    import pstats

    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    if dump:
        stats.dump_stats(dump)
    stats.sort_stats("cumulative").print_stats(25)
    return text.getvalue()


# -- morph-kgc in its own virtualenv ---------------------------------------------------

def morph_python() -> tuple[Path | None, str]:
    """The interpreter of morph-kgc's virtualenv, created on first use; or None and why not."""
    python = VENV / "bin" / "python"
    if python.exists():
        return python, ""
    print(f"creating {VENV} with {MORPH_REQUIREMENT} (once)…", file=sys.stderr, flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, capture_output=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", MORPH_REQUIREMENT], check=True, capture_output=True)
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(VENV, ignore_errors=True)
        return None, f"could not install {MORPH_REQUIREMENT}: {exc.stderr.decode(errors='replace')[-300:]}"
    return python, ""


def _morph_config(folder: Path) -> Path:
    config = folder / "morph.ini"
    config.write_text("[CONFIGURATION]\noutput_format=N-QUADS\nsafe_percent_encoding=/\n\n"
                      f"[Corridor]\nmappings={MORPH / 'corridor.yml'}\n", encoding="utf-8")
    return config


# -- the parent -----------------------------------------------------------------------

def _measure(label: str, runs: int, call, bare_mb: float, scale: float) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    results, error = common.repeat(label, runs, call)
    row = common.measured_row("build", label, scale, results, error, peer=label in PEERS)
    if results:
        triples, seconds = results[-1]["triples"], row["seconds"]
        row.update(triples=triples, triples_per_s=triples / seconds if seconds else None,
                   bytes_per_triple=max(0.0, row["peak_mb"] - bare_mb) * 2**20 / triples if triples else None)
        for key in ("stored", "issues", "conforms", "disk_bytes", "version"):
            if key in results[-1]:
                row[key] = results[-1][key]
    return row


def _bare(runs: int, call) -> float:  # type: ignore[no-untyped-def]
    """The median peak of a bare interpreter with the same imports."""
    results, error = common.repeat("bare interpreter", runs, call)
    if not results:
        raise SystemExit(f"the bare run failed: {error}")
    return common.median(results, "peak_mb")


def measure(scale: float, seed: int, runs: int, *, profile: bool = False) -> tuple[list[dict[str, Any]], list[str]]:
    """Every tool at one scale: the rows for the table and JSON, and notes."""
    notes: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="g60kg-bench-build-"))
    try:
        data = work / "data"
        mappings = common.dataset(scale, seed, data)
        nquads = work / "g60kg.nq"
        _dump_build(mappings, nquads)
        base = {"scratch": str(work), "mappings": [str(m) for m in mappings], "folder": str(data),
                "nquads": str(nquads)}

        def job(**spec: Any):  # type: ignore[no-untyped-def]
            return lambda: common.self_child(SCRIPT, {**base, **spec})

        bare_mb = _bare(runs, job(tool="bare"))
        rows = [_measure("g60kg on-disk", runs, job(tool="g60kg-disk"), bare_mb, scale)]
        in_memory = scale <= IN_MEMORY_MAX_SCALE
        if in_memory:
            rows.append(_measure("g60kg memory", runs, job(tool="g60kg-memory"), bare_mb, scale))
        rows.append(_measure("g60kg on-disk + SHACL validation", runs, job(tool="g60kg-disk", validate=True),
                             bare_mb, scale))
        python, why = morph_python() if in_memory else (None, "")
        if not in_memory:
            notes.append(f"- above scale {IN_MEMORY_MAX_SCALE:g}, the in-memory build and the peers (morph-kgc, the "
                         "rdflib loop) are not run: each holds the whole graph in memory")
        elif python is None:
            notes.append(f"- morph-kgc not measured: {why}")
        else:
            config = _morph_config(work)
            clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # nothing of this checkout

            def morph(target: str):  # type: ignore[no-untyped-def]
                return lambda: common.run_child([str(python), str(MORPH / "materialize.py"), str(config), target],
                                                cwd=data, env=clean)

            morph_bare = _bare(runs, morph("bare"))
            rows += [_measure(PEERS[0], runs, morph("oxigraph"), morph_bare, scale),
                     _measure(PEERS[1], runs, morph("rdflib"), morph_bare, scale)]
            notes.append(f"- morph-kgc {rows[-1].get('version', '')} from {VENV.name}/, default settings "
                         "(worker processes: its peak memory is that of its largest process)")
        if in_memory:
            rows.append(_measure(PEERS[2], runs, job(tool="rdflib"), bare_mb, scale))
        rows.append(_measure(FLOOR, runs, job(tool="oxigraph-bulk"), bare_mb, scale))
        if profile:
            run = common.self_child(SCRIPT, {**base, "tool": "g60kg-disk", "profile": True})
            notes += ["", f"cProfile of one on-disk build ({run['seconds']:.2f} s under the profiler):", "",
                      "```", run["profile"].strip(), "```"]
        return rows, notes
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _dump_build(mappings: list[Path], target: Path) -> None:
    """What g60kg stores for these tables, as N-Quads (built on disk beside ``target``,
    so a large scale does not hold the graph in memory)."""
    import g60kg

    store = target.with_suffix(".oxigraph")
    kg = g60kg.open_graph(str(store))
    kg.build(mappings, bundled=False, validate=False)
    target.write_bytes(kg.store.dump("nq"))
    del kg
    shutil.rmtree(store, ignore_errors=True)


def report(rows: list[dict[str, Any]], notes: list[str]) -> str:
    """The Markdown table of one scale, its notes and the verdict on the targets."""
    scale = rows[0]["scale"]
    peers = {r["engine"]: r for r in rows if r["engine"] in PEERS}
    headers = ["tool", "seconds", "CPU s", "triples", "triples/s", "peak MB", "bytes/triple",
               *(f"vs {p}" for p in peers)]
    body = [[r["engine"], common.seconds_text(r), common.cpu_text(r), _figure(r, "triples"), _figure(r, "triples_per_s"),
             _figure(r, "peak_mb"), _figure(r, "bytes_per_triple"),
             *(common.ratio(r["seconds"], p["seconds"]) for p in peers.values())] for r in rows]
    lines = [f"### Build, scale {scale:g} ({int(scale * 1000):,} generated firms)", "", common.table(headers, body), ""]
    disk = next(r for r in rows if r["engine"] == "g60kg on-disk")
    if disk.get("stored") and disk["stored"] != disk["triples"]:
        lines.append(f"- g60kg stores {disk['stored']:,} quads, {disk['triples']:,} of them in named graphs")
    if disk.get("disk_bytes"):
        lines.append(f"- on-disk store: {disk['disk_bytes'] / 2**20:.1f} MB ({disk['disk_bytes'] / disk['triples']:.0f}"
                     " bytes per triple)")
    for r in rows:
        if r.get("issues"):
            lines.append(f"- {r['engine']}: {r['issues']} skipped row(s) or ignored column(s)")
        if "conforms" in r:
            lines.append(f"- {r['engine']}: SHACL conforms = {r['conforms']}")
    lines += notes
    if disk["seconds"] is None:
        return "\n".join(lines)
    large = scale >= LARGE_SCALE
    target_rate, target_bytes = (TARGET_RATE_LARGE, TARGET_BYTES_LARGE) if large else (TARGET_RATE, TARGET_BYTES)
    lines += ["", f"targets (issue), on the on-disk build (they are for scale {LARGE_SCALE if large else 100}):"]
    rate = disk["triples_per_s"] or 0
    lines.append(_verdict(f"≥ {target_rate:,} triples/s", rate, rate >= target_rate, "{:,.0f}"))
    morph = peers.get(PEERS[0])
    if morph and morph["seconds"]:
        speed = morph["seconds"] / disk["seconds"]
        lines.append(_verdict(f"≥ {TARGET_VS_MORPH:g}x morph-kgc → Oxigraph", speed, speed >= TARGET_VS_MORPH,
                              "{:.2f}x"))
    loop = peers.get(PEERS[2])
    if loop and loop["seconds"] and loop["triples_per_s"]:
        by_rate = rate / loop["triples_per_s"]
        lines.append(_verdict(f"≥ {TARGET_VS_LOOP:g}x the triples/s of the rdflib loop (foundation issue)", by_rate,
                              by_rate >= TARGET_VS_LOOP, "{:.2f}x")
                     + f" (in time on the same tables: {loop['seconds'] / disk['seconds']:.2f}x)")
    per = disk["bytes_per_triple"] or 0
    lines.append(_verdict(f"≤ {target_bytes} bytes of memory per triple", per, per <= target_bytes, "{:,.0f}"))
    return "\n".join(lines)


def _figure(row: dict[str, Any], key: str) -> str:
    return "" if row.get(key) is None else f"{row[key]:,.0f}"


def _verdict(target: str, value: float, ok: bool, fmt: str) -> str:
    return f"- {target}: {fmt.format(value)} → {'PASS' if ok else 'MISS'}"


def main(argv: list[str] | None = None) -> int:
    """Measure every tool at ``--scale`` and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common.add_options(parser)
    parser.add_argument("--profile", action="store_true",
                        help="also cProfile one on-disk build: the building thread's CPU time (top 25, cumulative)")
    args = common.settle(parser.parse_args(argv))
    if common.answered_as_child(args, _child):
        return 0
    started = time.perf_counter()
    with Conditions(args.busy) as conditions:
        rows, notes = measure(args.scale, args.seed, args.repeat, profile=args.profile)
    conditions.stamp(rows)
    print(f"## g60kg build benchmark (median of {args.repeat})\n\nmachine: {common.machine()}; "
          f"{common.versions('pyoxigraph', 'rdflib', 'pandas')}\n\n{conditions.text()}\n")
    print(report(rows, notes))
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")
    common.write_json(args.json, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
