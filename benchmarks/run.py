"""Run every benchmark of the project at each scale and collate one table per stage.

    python benchmarks/run.py                       # scales 1, 10, 100; median of 3
    python benchmarks/run.py --scales 1,10 --repeat 1
    python benchmarks/run.py --quick               # scale 1, one run each: the CI smoke run
    python benchmarks/run.py --busy 1              # each benchmark with one CPU-burning process beside it

Every ``benchmarks/*.py`` except this runner, the generator and ``_*`` helpers is run as
a child process. One that takes ``--scale`` runs at each scale with ``--scale S --json
PATH`` (and ``--repeat N`` where it takes it); its JSON rows (stage, engine, scale,
seconds, and peak_mb, a peer flag, a measure or query where it has them) are collated
into one table per stage, with the ratio to each peer of the stage measured in the same
run ("2.00x": twice as fast as that peer), its CPU seconds and the load it was measured
under (``_conditions.py``; ``--busy N`` is passed to every benchmark that takes it, which
starts and stops its own N CPU-burning processes); each benchmark's own printed tables, with its
notes and targets, follow. Any other benchmark (a quality score such as
``extraction.py``, the endpoint's load run ``endpoint.py``) runs once and its printed
tables are kept as they are.

The tables go to standard output and, with the machine's description, to a Markdown
file (``benchmarks/results/latest.md``; with ``--quick``, only where ``--out`` says).
Exits 1 when a benchmark failed.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as common  # noqa: E402
from _conditions import Conditions, add_busy  # noqa: E402

SKIP = {"run.py", "generate.py"}
RESULTS = common.HERE / "results" / "latest.md"
# Fields of a row that are figures or bookkeeping, not what the row measures.
_FIGURES = {"stage", "engine", "scale", "seconds", "runs", "peak_mb", "peer", "triples", "triples_per_s",
            "bytes_per_triple", "stored", "issues", "conforms", "disk_bytes", "version", "nodes", "edges",
            "estimated", "max_abs_difference", "verdict", "rows", "error", "cpu_s", "busy", "load_before",
            "load_after", "run_wall_s", "run_cpu_s"}
_EXTRA = {"triples_per_s": "triples/s", "bytes_per_triple": "bytes/triple"}


def benchmarks(folder: Path = common.HERE) -> tuple[list[Path], list[Path]]:
    """The benchmark scripts that take ``--scale``, and the others.

    >>> scaled, other = benchmarks()
    >>> [p.name for p in scaled], [p.name for p in other]
    (['build.py', 'queries.py', 'analysis.py', 'viz.py'], ['endpoint.py', 'extraction.py'])
    """
    scripts = [p for p in sorted(folder.glob("*.py")) if p.name not in SKIP and not p.name.startswith("_")]
    scaled = [p for p in scripts if '"--scale"' in p.read_text(encoding="utf-8") or "add_options(" in p.read_text(
        encoding="utf-8")]
    order = {"build.py": 0, "queries.py": 1, "analysis.py": 2, "viz.py": 3}
    scaled.sort(key=lambda p: (order.get(p.name, 9), p.name))
    return scaled, [p for p in scripts if p not in scaled]


def _takes_busy(script: Path) -> bool:
    """Whether a benchmark script takes ``--busy`` (``_conditions.add_busy``)."""
    text = script.read_text(encoding="utf-8")
    return "add_options(" in text or "add_busy(" in text or '"--busy"' in text


def _run(script: Path, arguments: list[str]) -> tuple[str, float, float]:
    """Run one benchmark: its printed tables, wall seconds and peak memory (MB)."""
    started = time.perf_counter()
    done = common.spawn([sys.executable, str(script), *arguments])
    if done.code != 0:
        raise RuntimeError(f"exit {done.code}:\n{done.stdout[-2000:]}{done.stderr[-6000:]}")
    return done.stdout, time.perf_counter() - started, done.peak_mb


def collate(rows: list[dict[str, Any]]) -> dict[str, str]:
    """One Markdown table per stage: each measured row with its median seconds, CPU
    seconds, peak memory, the 1-minute load average before and after its benchmark and
    the background load (``--busy``) where the rows have them, and the ratio to each
    peer of the stage (rows flagged ``peer``; where a stage flags none, every engine is a
    peer) measured at the same scale on the same case.

    >>> rows = [{"stage": "s", "engine": "a", "scale": 1, "seconds": 1.0},
    ...         {"stage": "s", "engine": "b", "scale": 1, "seconds": 2.0, "peer": True}]
    >>> print(collate(rows)["s"])
    | scale | engine | seconds | peak MB | vs b |
    |---:|---|---:|---:|---:|
    | 1 | a | 1.00 |  | 2.00x |
    | 1 | b | 2.00 |  | 1.00x |
    """
    tables = {}
    stages: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        stages[row["stage"]].append(row)
    for stage, members in stages.items():
        cases = sorted({k for r in members for k in r if k not in _FIGURES and isinstance(r[k], str)})
        flagged = [r["engine"] for r in members if r.get("peer")]
        peers = list(dict.fromkeys(flagged or [r["engine"] for r in members]))
        groups: dict[tuple, dict[str, dict[str, Any]]] = defaultdict(dict)
        for r in members:
            groups[(r["scale"], *(r.get(c, "") for c in cases))][r["engine"]] = r
        if len({r["engine"] for r in members}) < 2:
            peers = []
        extra = [c for c in _EXTRA if any(c in r for r in members)]
        cpu, loads = any("cpu_s" in r for r in members), any("load_before" in r for r in members)
        headers = ["scale", *cases, "engine", "seconds", *(["CPU s"] if cpu else []), "peak MB",
                   *(_EXTRA[c] for c in extra), *(["load before→after (busy)"] if loads else []),
                   *(f"vs {p}" for p in peers)]
        body = []
        for key, engines in groups.items():
            for engine, r in engines.items():
                seconds = common.seconds_text(r)
                peak = f"{r['peak_mb']:.0f}" if r.get("peak_mb") is not None else ""
                figures = [f"{r[c]:,.0f}" if r.get(c) is not None else "" for c in extra]
                ratios = [common.ratio(r["seconds"], engines[p]["seconds"]) if p in engines else "" for p in peers]
                conditions = [_load_text(r)] if loads else []
                body.append([f"{key[0]:g}", *key[1:], engine, seconds, *([common.cpu_text(r)] if cpu else []), peak,
                             *figures, *conditions, *ratios])
        tables[stage] = common.table(headers, body)
    return tables


def _load_text(row: dict[str, Any]) -> str:
    """The load average around a row's benchmark and its ``--busy``, as ``1.20→2.35 (0)``.

    >>> _load_text({"load_before": 1.2, "load_after": 2.345, "busy": 1}), _load_text({})
    ('1.20→2.35 (1)', '')
    """
    if row.get("load_before") is None:
        return ""
    return f"{row['load_before']:.2f}→{row['load_after']:.2f} ({row.get('busy', 0)})"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, print and write the collated tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10,100", help="comma-separated scales (1,10,100)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is shown (3)")
    parser.add_argument("--quick", action="store_true", help="scale 1, one run each: a smoke run for CI")
    parser.add_argument("--out", type=Path, help=f"Markdown file for the tables (default {RESULTS.relative_to(common.REPO)}"
                                                 ", none with --quick)")
    parser.add_argument("--only", help="comma-separated benchmark names to run (e.g. build,analysis)")
    parser.add_argument("--timeout", type=float,
                        help="stop a measured run after this many seconds (the benchmarks' default: 1800)")
    add_busy(parser)
    args = parser.parse_args(argv)
    scales = [1.0] if args.quick else [float(s) for s in args.scales.split(",")]
    out = args.out or (None if args.quick else RESULTS)
    scaled, others = benchmarks()
    if args.only:
        wanted = {f"{name.strip()}.py" for name in args.only.split(",")}
        scaled, others = [p for p in scaled if p.name in wanted], [p for p in others if p.name in wanted]
    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    log: list[list[str]] = []
    printed: list[str] = []
    details: list[str] = []  # each scale benchmark's own tables, with its notes and targets
    failures = 0
    # Each benchmark starts and stops its own --busy burners; this records the whole run.
    with Conditions() as conditions, tempfile.TemporaryDirectory(prefix="g60kg-bench-run-") as tmp:
        jobs = [(script, scale) for scale in scales for script in scaled] + [(script, None) for script in others]
        for script, scale in jobs:
            arguments = ["--quick"] if args.quick else []
            if scale is not None:
                target = Path(tmp) / f"{script.stem}-{scale:g}.json"
                arguments += ["--json", str(target)]
                text = script.read_text(encoding="utf-8")
                if not args.quick:
                    arguments += ["--scale", f"{scale:g}"]
                    if '"--repeat"' in text or "add_options(" in text:
                        arguments += ["--repeat", str(args.repeat)]
                if args.timeout and ('"--timeout"' in text or "add_options(" in text):
                    arguments += ["--timeout", f"{args.timeout:g}"]
            if args.busy and _takes_busy(script):
                arguments += ["--busy", str(args.busy)]
            label = f"{script.name}" + ("" if scale is None else f" at scale {scale:g}")
            print(f"== {label}: {shlex.join(['python', str(script.relative_to(common.REPO)), *arguments])}",
                  file=sys.stderr, flush=True)
            try:
                stdout, seconds, peak = _run(script, arguments)
            except RuntimeError as exc:
                failures += 1
                print(f"   FAILED: {exc}", file=sys.stderr, flush=True)
                log.append([script.name, "" if scale is None else f"{scale:g}", "", "", "failed"])
                continue
            log.append([script.name, "" if scale is None else f"{scale:g}", f"{seconds:.0f}",
                        f"{peak:.0f}", "ok"])
            if scale is None:
                printed += [f"## {script.name}", "", stdout.strip(), ""]
            else:
                rows += json.loads(target.read_text(encoding="utf-8"))
                details += [f"## {label}: its own tables", "", stdout.strip(), ""]
    tables = collate(rows)
    command = "python benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    text = [
        "# g60kg benchmarks", "",
        f"- command: `{command.strip()}`",
        f"- machine: {common.machine()}",
        f"- libraries: {common.versions('pyoxigraph', 'rdflib', 'pandas', 'numpy', 'networkx', 'igraph')}",
        f"- run: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}, "
        f"{'one run' if args.quick else f'median of {args.repeat}'} per measurement, each in a fresh process; "
        f"took {time.perf_counter() - started:.0f} s",
        f"- conditions: load average (1 min) {conditions.load_before:.2f} before, {conditions.load_after:.2f} after; "
        f"each benchmark with --busy {args.busy}; CPU {conditions.cpu_s:.0f} s (user+sys, with children) in "
        f"{conditions.wall_s:.0f} s wall", "",
    ]
    for stage, body in tables.items():
        text += [f"## {stage}", "", body, ""]
    text += printed + details
    text += ["## Benchmark runs", "", common.table(["script", "scale", "wall s", "peak MB", "status"], log), ""]
    print("\n".join(text))
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n".join(text), encoding="utf-8")
        print(f"(written to {out})", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
