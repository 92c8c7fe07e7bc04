"""From a list of inputs (mapping files, tables with a mapping beside them, RDF files) to
a stream of N-Quads chunks, with a log of everything skipped.

Order matters only for names: all entity tables are read before any reference is
resolved, so a relation may name an entity defined in a later table.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from g60kg.errors import InputError, Location
from g60kg.loaders.issues import IssueLog
from g60kg.loaders.links import link_quads
from g60kg.loaders.mapping import TableInput, load_mapping
from g60kg.loaders.review import is_review_table, review_inputs
from g60kg.text.normalize import parse_date, parse_number
from g60kg.loaders.nquads import IRI_TEXT, LANGUAGE_TAG, XSD, SubjectGraphs, write_quads
from g60kg.loaders.rdf_files import RDF_SUFFIXES, rdf_file_nquads
from g60kg.loaders.resolve import ENTITY_ID, EntityIndex, column_label
from g60kg.loaders.tables import FILE, ROW, read_table, typed_rows
from g60kg.loaders.triples import entity_quads, name_key_quads, observation_quads, relation_quads, source_quads
from g60kg.loaders.vocabulary import vocabulary

__all__ = ["Assembly", "assemble", "bundled_mappings", "dataset_input", "dataset_names"]

MAPPING_SUFFIXES = {".yaml", ".yml", ".toml"}
# A source's id names its graph and its node, so it must be usable in an IRI as it is.
_SOURCE_ID = r"[A-Za-z0-9][A-Za-z0-9._~-]*"
_URL = r"https?://" + IRI_TEXT
CHUNK = 20_000  # entity rows turned into quads and written at a time: bounds the memory of a build
QUALIFIERS = {"=": "=", ">": ">", ">=": ">=", "<": "<", "<=": "<=", "~": "~", "": "=",
              "超": ">", "逾": ">", "多": ">", "约": "~", "近": "<", "up to": "<=", "about": "~", "more than": ">"}


@dataclass
class Assembly:
    """What the loaders made of the inputs."""

    log: IssueLog
    rows_read: Counter[str] = field(default_factory=Counter)
    encodings: dict[str, str] = field(default_factory=dict)
    subjects: SubjectGraphs = field(default_factory=SubjectGraphs)


def bundled_mappings() -> list[Path]:
    """The mappings of the corridor data shipped with g60kg: the curated tables and the
    rows derived from public data sets (``mappings/dataset-*.yaml``), places before what
    is located in them.

    >>> [p.name for p in bundled_mappings()][:4]
    ['sources.yaml', 'dataset-sources.yaml', 'places.yaml', 'dataset-admin_divisions.yaml']
    """
    order = ["sources", "dataset-sources", "places", "dataset-admin_divisions", "dataset-admin_coordinates",
             "organizations", "dataset-universities", "dataset-listed_firms_szse", "people", "policies",
             "projects", "achievements", "events", "relations", "observations", "dataset-rail_links"]
    folder = resources.files("g60kg") / "data" / "mappings"
    return [Path(str(folder / f"{name}.yaml")) for name in order]


def dataset_names() -> list[str]:
    """The upstream data sets whose whole file g60kg can load with a shipped mapping
    (``mappings/upstream-NAME.yaml``; ``g60kg build --dataset NAME FILE``).

    >>> "szse-a-share" in dataset_names()
    True
    """
    folder = resources.files("g60kg") / "data" / "mappings"
    return sorted(p.name.removeprefix("upstream-").removesuffix(".yaml") for p in folder.iterdir()
                  if p.name.startswith("upstream-") and p.name.endswith(".yaml"))


def dataset_input(name: str, table: str | Path) -> TableInput:
    """The whole upstream file ``table`` of the data set ``name``, read with its shipped
    mapping (its layout: sheet, columns).

    >>> dataset_input("szse-a-share", "A股列表.xlsx").mapping.sheet
    'A股列表'
    >>> dataset_input("szse", "A股列表.xlsx")
    Traceback (most recent call last):
    g60kg.errors.InputError: A股列表.xlsx: no shipped mapping for a data set 'szse'; expected one of ['moe-universities', 'szse-a-share']
    """
    if name not in dataset_names():
        raise InputError(Location(str(table)), f"no shipped mapping for a data set {name!r}; expected one of "
                                               f"{dataset_names()}")
    mapping = resources.files("g60kg") / "data" / "mappings" / f"upstream-{name}.yaml"
    return TableInput(load_mapping(Path(str(mapping))), Path(table))


def _classify(inputs: Iterable[str | Path | TableInput]) -> tuple[list[TableInput], list[Path]]:
    tables: list[TableInput] = []
    rdf: list[Path] = []
    for item in inputs:
        if isinstance(item, TableInput):
            tables.append(item)
            continue
        path = Path(item)
        suffix = path.suffix.lower()
        if suffix in {".csv", ".xlsx"} and is_review_table(path):  # a reviewed news article (docs/news.md)
            tables.extend(review_inputs(path))
        elif suffix in MAPPING_SUFFIXES:
            tables.append(TableInput(load_mapping(path)))
        elif suffix in RDF_SUFFIXES:
            rdf.append(path)
        elif suffix in {".csv", ".xlsx", ".xlsm", ".xls", ".tsv"}:
            beside = [path.with_suffix(".mapping" + s) for s in (".yaml", ".yml", ".toml")]
            found = next((b for b in beside if b.exists()), None)
            if found is None:
                raise InputError(Location(str(path)), f"no mapping for this table; write {beside[0].name} beside it "
                                 "(see docs/mappings.md) or pass a mapping file that names it")
            tables.append(TableInput(load_mapping(found), path))
        else:
            raise InputError(Location(str(path)), "unknown kind of input; expected a mapping (.yaml/.toml), a table "
                             f"(.csv/.xlsx/.xls) with a mapping beside it, or an RDF file ({', '.join(sorted(RDF_SUFFIXES))})")
    return tables, rdf


def _read(item: TableInput, log: IssueLog, assembly: Assembly, progress: Callable[[str], None] | None) -> pd.DataFrame:
    if progress:
        progress(f"reading {item.name or item.mapping.table or item.mapping.path}")
    table = item.table if item.table is not None else item.mapping.table
    if table is None:
        raise InputError(Location(str(item.mapping.path), None, "table"), "the mapping names no table and none was given")
    name = item.name or (str(table) if not isinstance(table, pd.DataFrame) else f"<DataFrame for {item.mapping.path.name}>")
    frame, encoding = read_table(table, encoding=item.mapping.encoding, sheet=item.mapping.sheet,
                                 header_row=item.mapping.header_row)
    assembly.encodings[name] = encoding
    assembly.rows_read[item.mapping.kind] += len(frame)
    rows = _checked(typed_rows(frame, item.mapping, _display(name), log), log)
    rows["name_lang"] = item.mapping.name_lang
    return rows


def _checked(rows: pd.DataFrame, log: IssueLog) -> pd.DataFrame:
    """Rows whose statement cells can become terms: a ``confidence`` is a number from 0
    to 1 (written in its canonical form), an observation's ``id`` is kind/slug; other
    rows are reported at their cell and dropped."""
    if "confidence" in rows:
        text = rows["confidence"].fillna("").astype(str).str.strip()
        values = pd.to_numeric(text.where(text != "", "1"), errors="coerce")
        bad = (text != "") & ~((values >= 0) & (values <= 1))
        rows = _skip(rows, bad, "confidence", lambda r: f"expected a confidence from 0 to 1, got {r['confidence']!r}", log)
        kept = text[~bad]
        rows = rows.assign(confidence=kept.where(kept == "", values[~bad].map(lambda v: f"{v:g}" if v == v else "")))
    if "indicator" in rows and "id" in rows:  # observations; entity ids are the resolver's
        bad = (rows["id"] != "") & ~rows["id"].astype(str).str.fullmatch(ENTITY_ID)
        rows = _skip(rows, bad, "id", lambda r: f"malformed id {r['id']!r}: expected kind/slug such as obs/my-1 "
                     "(no spaces, control characters or <>\"{}|^`\\)", log)
    return rows


def _display(name: str) -> str:
    """A file name as shown in messages: relative to the working directory when inside it."""
    try:
        return str(Path(name).resolve().relative_to(Path.cwd()))
    except ValueError:
        return name


def _skip(frame: pd.DataFrame, mask: pd.Series, column: str, message: Callable[[pd.Series], str], log: IssueLog) -> pd.DataFrame:
    for idx in frame.index[mask]:  # row 0: an entry of a mapping file, not a table row
        log.add(Location(frame.at[idx, FILE], int(frame.at[idx, ROW]) or None, column_label(frame, idx, column)),
                message(frame.loc[idx]))
    return frame[~mask]


def _sources(frames: list[pd.DataFrame], inline: dict[str, dict[str, str]], log: IssueLog) -> pd.DataFrame:
    records = [pd.DataFrame([{"id": k, ROW: 0, **v} for k, v in inline.items()])] if inline else []
    table = pd.concat(frames + records, ignore_index=True).fillna("")
    dates = table.get("date", pd.Series("", index=table.index))
    parsed = {text: _date_term(text) for text in dates.unique().tolist()}
    table["date_term"] = dates.map(lambda t: parsed[t][0])
    table["date_error"] = dates.map(lambda t: parsed[t][1])
    table = _skip(table, table["date_error"] != "", "date", lambda r: r["date_error"], log)
    bad_id = ~table["id"].astype(str).str.fullmatch(_SOURCE_ID)
    table = _skip(table, bad_id, "id", lambda r: f"malformed source id '{r['id']}': expected letters, digits, "
                  "'-', '_', '.' or '~' (no spaces), such as my-list", log)
    languages = table.get("language", pd.Series("", index=table.index)).astype(str)
    bad_language = (languages != "") & ~languages.str.fullmatch(LANGUAGE_TAG)
    table = _skip(table, bad_language, "language", lambda r: "expected a language tag such as zh, en or zh-CN (BCP 47: "
                  f"letters and digits joined by '-'), got {r['language']!r}", log)
    urls = table.get("url", pd.Series("", index=table.index))
    bad_url = (urls != "") & ~urls.str.fullmatch(_URL)
    table = _skip(table, bad_url, "url", lambda r: f"expected an http(s) URL, got {r['url']!r}", log)
    return table.drop_duplicates("id", keep="first")


def _date_term(text: str) -> tuple[str, str]:
    """A date cell as an N-Quads literal, or an error message."""
    if not text:
        return "", ""
    try:
        iso, kind = parse_date(text)
    except ValueError as exc:
        return "", str(exc)
    return f'"{iso}"^^<{XSD}{kind}>', ""


def _check_sources(frame: pd.DataFrame, known: set[str], log: IssueLog) -> pd.DataFrame:
    unknown = ~frame["source"].isin(known)
    return _skip(frame, unknown, "source",
                 lambda r: f"unknown source '{r['source']}': expected an id of the source registry (sources.csv)", log)


def _relations(frame: pd.DataFrame, index: EntityIndex, log: IssueLog) -> pd.DataFrame:
    """Relation rows with a known predicate and resolved subject and object."""
    relations = vocabulary().relations
    predicates = frame["predicate"]  # few distinct ones: each written without its prefix once
    frame = frame.assign(predicate=predicates.map({p: p.removeprefix("g60:") for p in predicates.unique().tolist()}))
    frame = _skip(frame, ~frame["predicate"].isin(relations), "predicate",
                  lambda r: f"unknown predicate '{r['predicate']}': expected one of {', '.join(sorted(relations))}", log)
    frame = index.resolve_column(frame, "subject", "any", "subject")
    return index.resolve_column(frame, "object", "any", "object")


def _observations(frame: pd.DataFrame, index: EntityIndex, log: IssueLog) -> pd.DataFrame:
    frame = index.resolve_column(frame, "subject", "any", "subject")
    qualifier = frame.get("qualifier", pd.Series("", index=frame.index)).str.strip().str.lower()
    frame = frame.assign(qualifier=qualifier.map(QUALIFIERS))
    frame = _skip(frame, frame["qualifier"].isna(), "qualifier",
                  lambda r: f"unknown qualifier: expected one of {sorted(k for k in QUALIFIERS if k)}", log)
    terms: dict[str, str] = {}
    for text in frame["value"].unique().tolist():
        try:
            number = parse_number(text)
        except ValueError:
            continue
        whole = number == number.to_integral_value() and "." not in text
        terms[text] = f'"{int(number)}"^^<{XSD}integer>' if whole else f'"{number.normalize():f}"^^<{XSD}decimal>'
    frame = frame.assign(value_term=frame["value"].map(terms))
    return _skip(frame, frame["value_term"].isna(), "value", lambda r: f"expected a number, got '{r['value']}'", log)


def _write_entities(rows: pd.DataFrame, index: EntityIndex, languages: dict[str, str],
                    sink: Callable[[bytes], None], subjects: SubjectGraphs) -> None:
    """The entity rows' quads, then their name keys (the name index is built while the
    store loads the rows)."""
    for start in range(0, len(rows), CHUNK):
        chunk = rows.iloc[start:start + CHUNK]
        write_quads(entity_quads(chunk, chunk["name_lang"], languages), sink, subjects)
    if rows.empty:
        return
    # A source's keys of an entity, where its rows of the entity were kept.
    keyed = rows[["id", "source"]].drop_duplicates().merge(index.key_table, on=["id", "source"], sort=False)
    for start in range(0, len(keyed), CHUNK):
        write_quads([name_key_quads(keyed.iloc[start:start + CHUNK])], sink, subjects)


def assemble(inputs: Iterable[str | Path | TableInput], sink: Callable[[bytes], None], *, strict: bool = False,
             progress: Callable[[str], None] | None = None) -> Assembly:
    """Read every input and send the whole build to ``sink`` as N-Quads chunks (each
    fact in its source's graph); return the issue log, the counts and the subjects with
    quads in several graphs (``assembly.subjects.shared``, for ``g60kg.build.sharing``).
    Duplicate lines are left for the store to merge. Chunks are sent as they are made, so
    a store can load while tables are read.

    >>> chunks = []
    >>> a = assemble(bundled_mappings(), chunks.append)
    >>> sum(c.count(b"\\n") for c in chunks) > 1000, a.log.issues
    (True, [])
    """
    log = IssueLog(strict=strict)
    assembly = Assembly(log)
    tables, rdf_paths = _classify(inputs)
    inline: dict[str, dict[str, str]] = {}
    ref_specs: dict[str, str] = {}
    for item in tables:
        for ident, fields in item.mapping.sources.items():  # reported at the mapping's sources: entry
            inline[ident] = {**fields, FILE: _display(str(item.mapping.path)),
                             **{f"_col_{c}": f"sources.{ident}.{c}" for c in ("id", "url", "date")}}
        ref_specs.update({c.property: c.ref for c in item.mapping.properties if c.ref})
    # Sources and entities first: the rest is read while the store loads the entities.
    first: dict[str, list[pd.DataFrame]] = {"sources": [], "entities": []}
    for item in (t for t in tables if t.mapping.kind in first):
        first[item.mapping.kind].append(_read(item, log, assembly, progress))
    sources = _sources(first["sources"], inline, log) if first["sources"] or inline else pd.DataFrame(columns=["id", "title"])
    known = set(sources["id"])
    languages = dict(zip(sources["id"], sources.get("language", pd.Series("", index=sources.index))))
    vocab = vocabulary()
    entities = [_check_sources(f, known, log) for f in first.pop("entities")]
    index = EntityIndex(entities, vocab, log)
    del entities
    for column, kind in ref_specs.items():
        if column in index.rows:  # replaced, not copied: one table of entity rows in memory at a time
            index.rows = index.resolve_column(index.rows, column, kind, column.split(":")[-1])
    if len(sources):
        write_quads([source_quads(sources)], sink, assembly.subjects)
    # The index hands its rows over: they are written and freed before the other tables
    # are read (resolving their references needs only the names).
    rows, index.rows = index.rows, index.rows.iloc[:0]
    _write_entities(rows, index, languages, sink, assembly.subjects)
    del rows
    for item in (t for t in tables if t.mapping.kind not in ("sources", "entities")):
        before = assembly.rows_read[item.mapping.kind]
        frame = _check_sources(_read(item, log, assembly, progress), known, log)
        if item.mapping.kind == "links":
            written = link_quads(frame, index, languages, log)
            rows = assembly.rows_read["links"] - before
            if rows and not written:
                where = Location(item.name or str(item.mapping.table or item.mapping.path), None)
                raise InputError(where, f"every one of its {rows} link rows failed (each is reported): the build "
                                 "stops, and the store keeps the graph it had")
            write_quads(written, sink, assembly.subjects)
            continue
        if item.mapping.kind == "relations":
            frame, make = _relations(frame, index, log), relation_quads
        else:
            frame, make = _observations(frame, index, log), observation_quads
        for start in range(0, len(frame), CHUNK):  # a chunk's quads at a time: they outweigh its rows
            write_quads(make(frame.iloc[start:start + CHUNK], languages), sink, assembly.subjects)
    for path in rdf_paths:
        if progress:
            progress(f"reading {path}")
        _, extra = rdf_file_nquads(path)
        assembly.subjects.note_nquads(extra)
        sink(extra)
        assembly.rows_read["rdf files"] += 1
    return assembly
