"""The ``g60kg`` command: a thin shell over the Python API; every command is one call.

Each command imports what it runs when it runs, so ``g60kg --help`` loads no pandas,
store or analysis module.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

import click

from g60kg.errors import G60Error
from g60kg.server.limits import Limits
from g60kg.store.formats import GRAPH_FORMATS
from g60kg.store.kinds import DEFAULT_STORE
from g60kg.text.spreadsheet import neutralized

if TYPE_CHECKING:
    from g60kg.graph import KnowledgeGraph

__all__ = ["main"]


# C0 and C1 controls other than tab and newline, DEL, and the bidirectional overrides:
# a cell of a user's table that holds one could rewrite or hide what the terminal shows.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    r"""The text with every control character shown as an escape, not obeyed.

    >>> _printable("a.csv:2:name: '\x1b[2J\u202eevil'\tok\n")
    "a.csv:2:name: '\\x1b[2J\\u202eevil'\tok\n"
    """
    return _CONTROLS.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def _say(text: str) -> None:
    """Print a line for the user, control characters escaped (``_printable``)."""
    click.echo(_printable(text))


def _errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Every error becomes a one-line message and exit 1; ``g60kg --debug`` shows the
    traceback of an unexpected one instead."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except G60Error as exc:
            raise click.ClickException(_printable(str(exc))) from exc
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:
            if click.get_current_context().find_root().params.get("debug"):
                raise
            message = " ".join(str(exc).split()) or "no message"
            raise click.ClickException(_printable(f"{type(exc).__name__}: {message} (g60kg --debug shows where)")) from exc
    return wrapper


class _Choice(click.Choice):
    """A choice whose values come from the library when first needed (showing a
    command's help or checking a value), not when the CLI is imported."""

    def __init__(self, values: Callable[[], Sequence[str]]) -> None:
        self._values = values
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> Sequence[str]:
        return tuple(self._values())

    @choices.setter
    def choices(self, _: Sequence[str]) -> None:
        pass


def _views() -> Sequence[str]:
    from g60kg.viz import VIEWS

    return VIEWS


def _size_measures() -> Sequence[str]:
    from g60kg.viz import SIZE_MEASURES

    return SIZE_MEASURES


def store_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options every command that opens the graph shares."""
    options = [
        click.option("--store", default=DEFAULT_STORE, show_default=True, envvar="G60KG_STORE",
                     help="memory, a directory (embedded Oxigraph), or a SPARQL endpoint URL."),
        click.option("--update-url", default=None, envvar="G60KG_UPDATE_URL",
                     help="SPARQL update endpoint, when it differs from --store."),
        click.option("--user", default=None, envvar="G60KG_USER", help="User for updates on a SPARQL server."),
        click.option("--password", default=None, envvar="G60KG_PASSWORD", help="Password for updates on a SPARQL server."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _open(store: str, update_url: str | None, user: str | None, password: str | None, *,
          create: bool = False) -> KnowledgeGraph:
    """The graph at ``store``; only a build may create one where there is none."""
    from g60kg.graph import open_graph

    extra = {k: v for k, v in (("update_url", update_url), ("user", user), ("password", password)) if v}
    return open_graph(store, create=create, **extra)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="g60kg")
@click.option("--debug", is_flag=True, envvar="G60KG_DEBUG", help="Show the traceback of an unexpected error.")
def main(debug: bool) -> None:
    """g60kg: a knowledge graph of the Yangtze River Delta G60 Science and Technology
    Innovation Corridor (长三角G60科创走廊)."""


@main.command("build")
@click.argument("sources", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@store_options
@click.option("--strict", is_flag=True, help="Fail on the first bad row or on any SHACL violation.")
@click.option("--no-bundled", is_flag=True, help="Leave out the curated corridor data shipped with g60kg.")
@click.option("--summary", "summary_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the summary as JSON to this file.")
@click.option("--dataset", "datasets", nargs=2, multiple=True, metavar="NAME FILE",
              type=(str, click.Path(exists=True, dir_okay=False, path_type=Path)),
              help="Also load the whole upstream FILE of data set NAME with its shipped mapping (szse-a-share, moe-universities).")
@_errors
def build_command(sources: tuple[Path, ...], store: str, update_url: str | None, user: str | None,
                  password: str | None, strict: bool, no_bundled: bool, summary_path: Path | None,
                  datasets: tuple[tuple[str, Path], ...]) -> None:
    """Build the graph from the bundled data and SOURCES (mapping files, tables with a
    mapping beside them, RDF files). The previous graph stays until the new one is built
    and validated."""
    from tqdm import tqdm

    from g60kg.loaders.assemble import dataset_input

    inputs = [*sources, *(dataset_input(name, path) for name, path in datasets)]

    kg = _open(store, update_url, user, password, create=True)
    steps = 10 + len(inputs) + 3
    with tqdm(total=steps, desc="build", unit="step", file=sys.stderr, leave=False) as bar:
        def progress(message: str) -> None:
            bar.set_postfix_str(message[-60:])
            bar.update(1)

        report = kg.build(inputs, strict=strict, bundled=not no_bundled, progress=progress)
    _say(report.summary())
    if summary_path:
        summary_path.parent.mkdir(parents=True, exist_ok=True)
        summary_path.write_text(json.dumps(_report_json(report), ensure_ascii=False, indent=2), encoding="utf-8")


def _report_json(report: Any) -> dict[str, Any]:
    return {
        "location": report.location, "triples": report.quads, "graphs": report.graphs, "classes": report.classes,
        "rows_read": dict(report.rows_read), "rows_skipped": report.skipped_rows, "other_issues": report.warnings,
        "issues": [str(i) for i in report.issues], "seconds": round(report.seconds, 3),
        "validation": None if report.validation is None else {
            "conforms": report.validation.conforms, "violations": len(report.validation.violations),
            "warnings": len(report.validation.warnings)},
    }


@main.command("validate")
@store_options
@click.option("--limit", default=50, show_default=True, help="How many results to print.")
@_errors
def validate_command(store: str, update_url: str | None, user: str | None, password: str | None, limit: int) -> None:
    """Validate the graph against the SHACL shapes; exit 1 on any violation."""
    report = _open(store, update_url, user, password).validate()
    _say(report.text(limit))
    if not report.conforms:
        sys.exit(1)


@main.command("export")
@store_options
@click.option("--format", "fmt", type=click.Choice(sorted(GRAPH_FORMATS)), default="nq", show_default=True,
              help="Serialization (ttl and nt merge the named graphs).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: stdout).")
@_errors
def export_command(store: str, update_url: str | None, user: str | None, password: str | None, fmt: str,
                   output: Path | None) -> None:
    """Export the whole graph."""
    data = _open(store, update_url, user, password).export(fmt)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


@main.command("stats")
@store_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--by", type=click.Choice(["city"]), default=None,
              help="city: per member of the corridor, entities by class, facts, sources and ties by layer.")
@_errors
def stats_command(store: str, update_url: str | None, user: str | None, password: str | None, as_json: bool,
                  by: str | None) -> None:
    """Triples, named graphs and entities per class; with --by city, how evenly the graph
    describes each member."""
    kg = _open(store, update_url, user, password)
    if by == "city":
        table = kg.balance().reset_index()
        _say(_WRITERS["json" if as_json else "table"](table))
        return
    stats = kg.stats()
    if as_json:
        _say(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    _say(f"triples: {stats['triples']}\nnamed graphs: {stats['graphs']}")
    for name, count in sorted(stats["classes"].items()):  # type: ignore[union-attr]
        _say(f"  {name}: {count}")


_WRITERS: dict[str, Callable[[Any], str]] = {
    "table": lambda f: f.to_string(index=False),
    "csv": lambda f: neutralized(f).to_csv(index=False).rstrip("\n"),
    "tsv": lambda f: neutralized(f).to_csv(index=False, sep="\t").rstrip("\n"),
    "json": lambda f: f.to_json(orient="records", force_ascii=False, date_format="iso"),
    "md": lambda f: f.to_markdown(index=False),
}
format_option = click.option("--format", "fmt", type=click.Choice(list(_WRITERS)), default="table", show_default=True,
                             help="How to print the rows.")


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    """``--param k=v`` pairs as a dict; a pair without ``=`` is a usage error."""
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="--param")
        params[key.strip()] = value
    return params


@main.command("query")
@click.argument("text", required=False)
@store_options
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Read the query from a file.")
@click.option("--param", "pairs", multiple=True, metavar="NAME=VALUE",
              help="A parameter of a named query (repeatable); missing ones take their defaults.")
@click.option("--limit", type=click.IntRange(0), default=None, help="Print at most this many rows (one page).")
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True,
              help="Skip this many rows first (the page after --limit rows is --offset LIMIT).")
@format_option
@_errors
def query_command(text: str | None, store: str, update_url: str | None, user: str | None, password: str | None,
                  file: Path | None, pairs: tuple[str, ...], limit: int | None, offset: int, fmt: str) -> None:
    """Run a named query (TEXT is its name: see `g60kg queries`), or a SPARQL SELECT or
    ASK query given as TEXT, --file, or - (stdin); --limit and --offset print one page
    of its rows."""
    if file is not None:
        text = file.read_text(encoding="utf-8")
    elif text == "-":
        text = sys.stdin.read()
    if not text:
        raise click.UsageError("give a query name, a query as TEXT, --file FILE, or - for stdin")
    frame = _open(store, update_url, user, password).query(text, limit=limit, offset=offset, **_params(pairs))
    _say(_WRITERS[fmt](frame))


@main.command("queries")
@format_option
def queries_command(fmt: str) -> None:
    """List the named queries: name, titles in Chinese and English, parameters (name,
    type, default); run one with `g60kg query NAME --param NAME=VALUE`."""
    from g60kg.queries import catalog_table

    _say(_WRITERS[fmt](catalog_table()))


@main.command("serve")
@click.option("--store", default=DEFAULT_STORE, show_default=True, envvar="G60KG_STORE",
              help="The store directory to serve (build it first with g60kg build).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8060, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one).")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(0, min_open=True),
              help="Seconds a query or update may run before it is stopped.")
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(1),
              help="Most rows (or triples) one answer may hold.")
@click.option("--max-memory", default=2048, show_default=True, type=click.IntRange(1), metavar="MB",
              help="Most memory (MB) a query worker may hold, its query's data included; past it the query is stopped.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1),
              help="Queries evaluated at the same time (one process each).")
@click.option("--allow-update", is_flag=True, help="Accept SPARQL updates that carry the token.")
@click.option("--token", default=None, envvar="G60KG_TOKEN",
              help="The token updates must send as 'Authorization: Bearer TOKEN' (better: set G60KG_TOKEN).")
@click.option("--allow-service", is_flag=True, help="Allow SERVICE and LOAD, which make the server fetch from other hosts.")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="A host name clients may reach the server by (repeatable; default: the --host address, "
                   "and localhost for a loopback one).")
@click.option("--queue", default=Limits.queue, show_default=True, type=click.IntRange(0),
              help="Requests that may wait for a free worker; past them a request gets 503 with Retry-After.")
@click.option("--queue-wait", default=Limits.queue_wait, show_default=True, type=click.FloatRange(0, min_open=True),
              metavar="SECONDS", help="How long a request may wait for a free worker before it gets 503 with Retry-After.")
@click.option("--cache", "cache_mb", default=Limits.cache_bytes >> 20, show_default=True, type=click.IntRange(0),
              metavar="MB", help="Answers kept for identical queries until the graph changes (0: none kept).")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="An origin whose pages may read the answers (repeatable; '*': any). Default: none.")
@click.option("--quiet", is_flag=True, help="Do not log each request (the log is one JSON line per request).")
@_errors
def serve_command(store: str, host: str, port: int, timeout: float, max_rows: int, max_memory: int, workers: int,
                  allow_update: bool,
                  token: str | None, allow_service: bool, allowed_hosts: tuple[str, ...], queue: int,
                  queue_wait: float, cache_mb: int, cors: tuple[str, ...], quiet: bool) -> None:
    """Serve the graph over HTTP: a SPARQL 1.1 endpoint at /sparql, every named query at
    /queries/NAME (described at /openapi.json) and a query page at /. Read-only unless
    started with --allow-update and a token (docs/server.md)."""
    import signal

    from g60kg.server import Policy, host_names, make_server

    policy = Policy(allow_update=allow_update, token=token, allow_service=allow_service, timeout=timeout,
                    max_rows=max_rows, max_memory=max_memory, hosts=host_names(host, allowed_hosts))
    limits = Limits(queue=queue, queue_wait=queue_wait, cache_bytes=cache_mb << 20)
    server = make_server(store, policy, host=host, port=port, workers=workers, limits=limits, cors=cors,
                         access_log=None if quiet else sys.stderr)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    bound_host, bound_port = server.server_address[:2]
    _say(f"serving {store} at http://{bound_host}:{bound_port}/ (SPARQL at /sparql); Ctrl+C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@main.command("extract")
@click.argument("article", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source-url", default="", help="The article's URL (http or https).")
@click.option("--title", default="", help="The article's title (default: the file name).")
@click.option("--date", default="", help="Publication date: 2021, 2021-06 or 2021-06-25.")
@click.option("--publisher", default="", help="Who published it.")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for NAME.review.csv and NAME.review.xlsx (default: beside the article).")
@click.option("--link", default="bundled", show_default=True,
              help="Graph to link names to: bundled, none, or a store location.")
@_errors
def extract_command(article: Path, source_url: str, title: str, date: str, publisher: str, output_dir: Path | None,
                    link: str) -> None:
    """Extract candidate entities, statistics and relations from a Chinese news ARTICLE
    (plain text) into a review table; mark its decision column, then `g60kg build` it
    (docs/news.md)."""
    from g60kg.news.review import extract_review

    csv_path, xlsx_path, rows = extract_review(article, output_dir, title=title, publisher=publisher, date=date,
                                               url=source_url, link=link)
    _say(f"wrote {csv_path} and {xlsx_path}: {rows} candidates to review")


@main.command("all")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the store and every output.")
@_errors
def all_command(out_dir: Path) -> None:
    """The main job: build the graph from the bundled data into OUT/g60kg.oxigraph,
    validate it, and write the summary, the validation report, an N-Quads export, the
    central-node report and the pages OUT/graph.html and OUT/cities.html."""
    out_dir.mkdir(parents=True, exist_ok=True)
    kg = _open(str(out_dir / "g60kg.oxigraph"), None, None, None, create=True)
    report = kg.build()
    _say(report.summary())
    (out_dir / "build-summary.json").write_text(json.dumps(_report_json(report), ensure_ascii=False, indent=2), "utf-8")
    validation = report.validation.text(limit=10_000) if report.validation else "not validated"
    (out_dir / "validation.txt").write_text(validation + "\n", encoding="utf-8")
    (out_dir / "g60kg.nq").write_bytes(kg.export("nq"))
    _say(f"wrote {out_dir}/g60kg.oxigraph, build-summary.json, validation.txt, g60kg.nq")
    from g60kg.analysis.report import write_report

    paths = write_report(kg, out_dir)
    _say(f"wrote {paths['html']}, {paths['markdown']}")
    pages = [kg.visualize(view, path=out_dir / f"{view}.html") for view in ("graph", "cities")]
    _say(f"wrote {', '.join(map(str, pages))}")


def analysis_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options of the central-node analysis, shared by ``analyze central-node`` and ``report``."""
    options = [
        click.option("--city", default="松江区", show_default=True,
                     help="The place whose central-node claim is tested: an id (place/songjiang) or a name."),
        click.option("--network", type=click.Choice(["nine-cities", "sw-five"]), default="nine-cities",
                     show_default=True, help="The nine-city corridor, or the south-west Shanghai five-district alliance."),
        click.option("--seed", default=0, show_default=True, type=int, help="Seed of the resampling and null models."),
        click.option("--as-of", "as_of", type=click.IntRange(1900, 2200), default=None,
                     help="Use only the facts dated in or before this year (undated facts are left out then)."),
        click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                     help="Language of the verdict and the report."),
        click.option("--replicates", default=1000, show_default=True, type=click.IntRange(10),
                     help="Replicates of the claim model and null draws per layer."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@main.group("analyze")
def analyze_group() -> None:
    """Analyze the city network built from the graph (see docs/links.md for adding link counts)."""


@analyze_group.command("central-node")
@store_options
@analysis_options
@click.option("--resolution", type=click.Choice(["district", "shanghai"]), default="district", show_default=True,
              help="Keep Songjiang as a district, or merge it (with all of Shanghai) into 上海市.")
@click.option("--timeline/--no-timeline", default=False, show_default=True,
              help="Also print each member's score per layer and year, from 2016 to the latest year.")
@click.option("--centrality", is_flag=True, default=False,
              help="Also print the one-mode centrality analysis (ranks, edge bootstrap, null models).")
@click.option("--bootstrap", "n_boot", default=1000, show_default=True, type=click.IntRange(1),
              help="With --centrality: bootstrap resamples of the facts.")
@click.option("--null", "n_null", default=200, show_default=True, type=click.IntRange(1),
              help="With --centrality: random graphs per layer for its null models.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write the verdict (json), every layer's claims and the timeline (CSV) into this folder.")
@_errors
def central_node_command(store: str, update_url: str | None, user: str | None, password: str | None, city: str,
                         network: str, seed: int, as_of: int | None, lang: str, replicates: int, resolution: str,
                         timeline: bool, centrality: bool, n_boot: int, n_null: int, out_dir: Path | None) -> None:
    """Test the claim that a city is the central node (中心节点) as a hub of coordination:
    a verdict per layer (coordination, alliance lead, and the one-mode layers) with its
    deciding facts and sources, a summary, and the data that would change it
    (docs/analysis.md states the model)."""
    from g60kg.analysis.claim import central_node_claim
    from g60kg.analysis.wording import timeline_text, verdict_text

    kg = _open(store, update_url, user, password)
    verdict = central_node_claim(kg, city=city, network=network, resolution=resolution, as_of=as_of, n=replicates,
                                 seed=seed)
    _say(verdict_text(verdict, lang=lang))
    if timeline:
        _say(timeline_text(verdict, lang=lang))
    if centrality:
        from g60kg.analysis.verdict import central_node

        old = central_node(kg, city=city, network=network, resolution=resolution, n_boot=n_boot, n_null=n_null,
                           seed=seed)
        _say(old.text())
        if out_dir is not None:
            old.save(out_dir)
    if out_dir is not None:
        verdict.save(out_dir)
        _say(f"wrote the verdict and its tables to {out_dir}")


@main.command("report")
@store_options
@analysis_options
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for report.html, report.md and report-figures/.")
@_errors
def report_command(store: str, update_url: str | None, user: str | None, password: str | None, city: str, network: str,
                   seed: int, as_of: int | None, lang: str, replicates: int, out_dir: Path) -> None:
    """Write OUT/report.html (self-contained, opens offline) and OUT/report.md: the
    central-node verdict per layer at both resolutions, in Chinese or English, with its
    deciding facts and sources, a timeline, and the data that would change it."""
    from g60kg.analysis.report import write_report

    paths = write_report(_open(store, update_url, user, password), out_dir, city=city, network=network, as_of=as_of,
                         n=replicates, seed=seed, lang=lang)
    _say(f"wrote {paths['html']}, {paths['markdown']}")


@main.command("visualize")
@store_options
@click.option("--view", type=_Choice(_views), default="graph", show_default=True,
              help="The whole entity graph, the cities at their coordinates, one entity's neighbourhood, or the alliances.")
@click.option("--focus", default=None, help="The entity of the ego view: a name, an alias or an id (org/tencent).")
@click.option("--hops", default=1, show_default=True, type=click.IntRange(0), help="How many ties from --focus.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language of names.")
@click.option("--size-by", default="degree", show_default=True,
              type=_Choice(_size_measures), help="The centrality that sizes the nodes.")
@click.option("--class", "classes", multiple=True, help="Open with only this class shown (repeatable): Enterprise or 企业.")
@click.option("--city", default=None, help="Open with only this member city and its ties shown: 芜湖市, Wuhu.")
@click.option("--layer", "layers", multiple=True, help="Open with only this layer of edges shown (repeatable).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: out/VIEW.html).")
@_errors
def visualize_command(store: str, update_url: str | None, user: str | None, password: str | None, view: str,
                      focus: str | None, hops: int, lang: str, size_by: str, classes: tuple[str, ...], city: str | None,
                      layers: tuple[str, ...], output: Path | None) -> None:
    """Write a self-contained interactive page (opens offline, from a file or a server):
    legend, filters by class, city and layer, a search box, quotes and sources on click."""
    path = _open(store, update_url, user, password).visualize(
        view, focus=focus, hops=hops, lang=lang, size_by=size_by, classes=classes or None, city=city,
        layers=layers or None, path=output or Path("out") / f"{view}.html")
    _say(f"wrote {path}")
