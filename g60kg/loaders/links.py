"""Users' city-to-city link counts as a layer of the city network, with provenance.

A link row says that two places are tied by so many links of one kind in a year —
co-patents, co-authored papers, investment deals, daily trains — and who says so, in
which words. It becomes the fact ``city_a g60:cooperatesWith city_b`` (``g60:adjacentTo``
for the infrastructure layer) in the named graph of its source, and a statement node
that carries the count (``rdf:value``), the layer (``dcterms:type``), the year
(``g60:startDate``/``g60:endDate``), the quote and the source. The city network reads
such statements into their own layer only (``g60kg/network/projections/ties.rq``). The
format is documented in ``docs/links.md``.

>>> m = links_mapping()
>>> m.kind, m.fields["weight"]
('links', 'weight')
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd

from g60kg.errors import Location
from g60kg.loaders.issues import IssueLog
from g60kg.loaders.mapping import Mapping, TableInput
from g60kg.text.normalize import parse_date, parse_number
from g60kg.loaders.nquads import XSD, iri, literal, quads
from g60kg.loaders.resolve import EntityIndex, column_label
from g60kg.loaders.tables import FILE, ROW
from g60kg.ontology import PREFIXES

__all__ = ["LAYERS", "LINK_COLUMNS", "links_mapping", "links_input", "link_quads"]

# The layers of the city network, in the order reports show them.
LAYERS = ("institutional", "enterprise", "knowledge", "infrastructure")
# The documented columns: the first six are required.
LINK_COLUMNS = ("city_a", "city_b", "layer", "weight", "source", "quote", "year", "indicator", "unit")

_ID, _G60, _GRAPH, _SOURCE = PREFIXES["g60id"], PREFIXES["g60"], PREFIXES["g60graph"], PREFIXES["g60src"]
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_DCTERMS = "http://purl.org/dc/terms/"
_PREDICATE = {"infrastructure": "adjacentTo"}  # every other layer: cooperatesWith


def links_mapping(path: str | Path = "links.mapping.yaml", *, sources: dict[str, dict[str, str]] | None = None,
                  table: str | Path | None = None) -> Mapping:
    """The mapping of a table in the documented link format (columns named as in
    ``LINK_COLUMNS``), for code that has no mapping file; ``sources`` declares source
    records inline, as a mapping file's ``sources:`` key does."""
    path = Path(path)
    return Mapping(path=path, table=Path(table).resolve() if table else None, kind="links",
                   fields={c: c for c in LINK_COLUMNS}, defaults={}, properties=(),
                   sources=dict(sources or {}))


def links_input(table: str | Path | pd.DataFrame, *, sources: dict[str, dict[str, str]] | None = None):
    """A build input for a link table in the documented format (a CSV/XLSX path or a
    DataFrame); optional columns may be left out.

    >>> import g60kg
    >>> frame = pd.DataFrame({"city_a": ["松江"], "city_b": ["嘉兴"], "layer": ["knowledge"], "weight": ["3"],
    ...                       "source": ["demo"], "quote": ["合作专利3件"]})
    >>> kg = g60kg.open_graph("memory")
    >>> _ = kg.build([links_input(frame, sources={"demo": {"title": "a demonstration"}})], validate=False)
    >>> kg.query("SELECT ?w WHERE { ?st dcterms:type 'knowledge' ; rdf:value ?w }")["w"].tolist()
    [3.0]
    """

    if not isinstance(table, pd.DataFrame):
        from g60kg.loaders.tables import read_table

        table, _ = read_table(table)
    frame = table.copy()
    for column in LINK_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    return TableInput(links_mapping(sources=sources), frame, name="<links table>")


def _skip(frame: pd.DataFrame, mask: pd.Series, part: str, messages: pd.Series, log: IssueLog) -> pd.DataFrame:
    for idx in frame.index[mask]:
        log.add(Location(frame.at[idx, FILE], int(frame.at[idx, ROW]), column_label(frame, idx, part)), messages[idx])
    return frame[~mask]


def _parse_each(values: pd.Series, parse) -> tuple[pd.Series, pd.Series]:
    """Parse each distinct value once: (terms, error messages)."""
    done: dict[str, tuple[str, str]] = {}
    for text in values.unique().tolist():
        try:
            done[text] = (parse(text), "")
        except ValueError as exc:
            done[text] = ("", str(exc))
    return values.map(lambda t: done[t][0]), values.map(lambda t: done[t][1])


def _weight(text: str) -> str:
    value = parse_number(text)
    if value <= 0:
        raise ValueError(f"expected a positive count, got {text!r}")
    return f'"{value.normalize():f}"^^<{XSD}decimal>'


_PERIOD = re.compile(r"^\s*(\d{4})\s*[-–—~～至到]\s*(\d{4})\s*年?\s*$")


def _date_term(text: str) -> str:
    iso, kind = parse_date(text)
    return f'"{iso}"^^<{XSD}{kind}>'


def _period(text: str) -> str:
    """The term of a year or a date, or the start and end terms of a period of years
    (``2010-2019``, ``2010至2019``) joined by a tab; empty for an empty cell.

    >>> _period("2010-2019").split(chr(9))[1]
    '"2019"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    >>> _period("2019-2010")
    Traceback (most recent call last):
    ValueError: a period must end after it starts, got '2019-2010'
    """
    if not text:
        return ""
    match = _PERIOD.match(text)
    if match is None:
        return _date_term(text)
    start, end = match.groups()
    if int(end) < int(start):
        raise ValueError(f"a period must end after it starts, got {text!r}")
    return f"{_date_term(start)}\t{_date_term(end)}"


def _repeats(frame: pd.DataFrame, log: IssueLog) -> pd.DataFrame:
    """Skip (and report) each row that repeats an earlier row's link — the same two places,
    in either order, layer, year and indicator — naming the row that is kept."""
    pair = [tuple(sorted(p)) for p in zip(frame["city_a"], frame["city_b"])]
    key = pd.Series([(*p, layer, year, what) for p, layer, year, what in
                     zip(pair, frame["layer"], frame["year"].str.strip(), frame["indicator"].str.strip())],
                     index=frame.index)
    repeated = key.duplicated(keep="first")
    if not repeated.any():
        return frame
    first = {k: i for i, k in zip(frame.index[::-1], key[::-1])}
    messages = pd.Series("", index=frame.index)
    for idx in frame.index[repeated]:
        kept = first[key[idx]]
        reversed_ = (frame.at[idx, "city_a"], frame.at[idx, "city_b"]) == (frame.at[kept, "city_b"], frame.at[kept, "city_a"])
        messages[idx] = (f"repeats row {int(frame.at[kept, ROW])}{' with the places reversed' if reversed_ else ''}: "
                         f"a link is undirected and counted once, from row {int(frame.at[kept, ROW])}")
    return _skip(frame, repeated, "city_b", messages, log)


def link_quads(frame: pd.DataFrame, index: EntityIndex, languages: dict[str, str], log: IssueLog) -> list[pd.DataFrame]:
    """Quads of typed link rows (sources already checked): places resolved by id, name or
    alias; a bad layer, count, year or place is reported with file, row and column and
    the row skipped, and so is a row that repeats an earlier row's link (the places in
    either order). The year may be a period (``2010-2019``: its start and end dates)."""
    frame = frame.copy()
    for part in ("year", "indicator", "unit"):
        if part not in frame:
            frame[part] = ""
    layer = frame["layer"].str.strip().str.lower()
    frame = frame.assign(layer=layer)
    frame = _skip(frame, ~frame["layer"].isin(LAYERS), "layer",
                  "unknown layer '" + frame["layer"] + f"': expected one of {', '.join(LAYERS)}", log)
    weight, why = _parse_each(frame["weight"], _weight)
    frame = _skip(frame.assign(weight_term=weight), why != "", "weight", why, log)
    year, why = _parse_each(frame["year"], _period)
    frame = _skip(frame.assign(year_term=year), why != "", "year", why, log)
    frame = index.resolve_column(frame, "city_a", "place", "city_a")
    frame = index.resolve_column(frame, "city_b", "place", "city_b")
    same = frame["city_a"] == frame["city_b"]
    frame = _skip(frame, same, "city_b", "a link needs two different places, got '" + frame["city_b"] + "' twice", log)
    frame = _repeats(frame, log)
    if frame.empty:
        return []
    g = "<" + _GRAPH + frame["source"] + ">"
    s, o = iri(_ID + frame["city_a"]), iri(_ID + frame["city_b"])
    p = "<" + _G60 + frame["layer"].map(lambda x: _PREDICATE.get(x, "cooperatesWith")) + ">"
    key = g + " " + s + " " + p + " " + o + " " + frame["layer"] + " " + frame["year_term"] + " " + frame["indicator"]
    node = "<" + _ID + "statement/link-" + key.map(lambda t: hashlib.sha1(t.encode("utf-8")).hexdigest()[:20]) + ">"
    lang = frame["source"].map(lambda x: languages.get(x) or "zh")
    parts = [
        quads(s, p, o, g, frame.index),
        quads(node, f"<{_RDF}type>", f"<{_G60}Statement>", g, frame.index),
        quads(node, f"<{_RDF}subject>", s, g, frame.index),
        quads(node, f"<{_RDF}predicate>", p, g, frame.index),
        quads(node, f"<{_RDF}object>", o, g, frame.index),
        quads(node, f"<{_RDF}value>", frame["weight_term"], g, frame.index),
        quads(node, f"<{_DCTERMS}type>", literal(frame["layer"]), g, frame.index),
        quads(node, "<http://www.w3.org/ns/prov#wasDerivedFrom>", iri(_SOURCE + frame["source"]), g, frame.index),
        quads(node, f"<{_G60}confidence>", f'"1.0"^^<{XSD}decimal>', g, frame.index),
        quads(node, f"<{_G60}method>", '"curated"', g, frame.index),
        quads(node, f"<{_G60}quote>", literal(frame["quote"]) + "@" + lang, g, frame.index),
    ]
    dated = frame["year_term"] != ""
    for k, prop in ((0, "startDate"), (-1, "endDate")):
        terms = frame.loc[dated, "year_term"].str.split("\t").str[k]
        parts.append(quads(node[dated], f"<{_G60}{prop}>", terms, g[dated], frame.index[dated]))
    described = frame["indicator"] != ""
    if described.any():
        text = frame["indicator"] + frame["unit"].map(lambda u: f" ({u})" if u else "")
        parts.append(quads(node[described], "<http://www.w3.org/2000/01/rdf-schema#comment>",
                           literal(text[described]), g[described], frame.index[described]))
    return parts
