"""Tables in: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030), XLSX, XLS and DataFrames, read as
text and typed column by column according to a mapping.

Each distinct cell value is parsed once (``parse_date``, ``parse_number``), so a column
of 100,000 founding years costs as many parses as it has distinct years. A row with a
bad cell is reported with file, row and column, and skipped.
"""

from __future__ import annotations

import codecs
import io
import re
from itertools import chain
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from g60kg.errors import InputError, Location, MappingError
from g60kg.loaders.files import read_bounded
from g60kg.loaders.issues import IssueLog
from g60kg.loaders.workbook import read_workbook, read_xls, with_header_row
from g60kg.loaders.mapping import KINDS, ColumnMap, Mapping
from g60kg.text.normalize import are_clean, clean_texts, each_joined, parse_date, parse_number, to_simplified
from g60kg.loaders.nquads import IRI_TEXT, XSD, escape_text

__all__ = ["read_table", "typed_rows", "ROW", "FILE"]

ROW = "_row"
FILE = "_file"
ENCODINGS = ("utf-8-sig", "gb18030", "big5")
_WIKIDATA = "http://www.wikidata.org/entity/"
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:" + IRI_TEXT)


def _decode(path: Path, raw: bytes, encoding: str) -> tuple[str, str]:
    """The text of a table and the encoding read: the one named, or (``auto``) UTF-8,
    else whichever of GB18030 and Big5 reads the bytes as the more common characters
    (Big5 bytes often decode as GB18030 too, as nonsense)."""
    if encoding != "auto":
        try:
            return raw.decode(encoding), encoding
        except LookupError:
            raise InputError(Location(str(path)), f"unknown encoding {encoding!r} named in the mapping; "
                                                  "expected one such as utf-8, gb18030 or big5") from None
        except UnicodeDecodeError as exc:
            raise _undecodable(path, raw, exc, (encoding,)) from exc
    try:
        return raw.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError as exc:
        first = exc
    readings = {}
    for candidate in ENCODINGS[1:]:
        try:
            readings[candidate] = raw.decode(candidate)
        except UnicodeDecodeError:
            continue
    if not readings:
        raise _undecodable(path, raw, first, ENCODINGS)
    best = max(readings, key=lambda name: _common_share(readings[name]))
    return readings[best], best


def _common_share(text: str) -> float:
    """The share of a text's Chinese characters that are common ones (in GB2312 once
    simplified): near 1 for a text read in its own encoding, far less for nonsense."""
    chinese = [c for c in set(text) if "\u3400" <= c <= "\u9fff"]
    if not chinese:
        return 0.0
    simplified = to_simplified("".join(chinese))
    common = sum(1 for c in simplified if _in_gb2312(c))
    return common / max(len(simplified), 1)


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _undecodable(path: Path, raw: bytes, error: UnicodeDecodeError, tried: tuple[str, ...]) -> InputError:
    line = raw[: error.start].count(b"\n") + 1
    return InputError(Location(str(path), line), f"cannot decode as {' or '.join(tried)} ({error.reason} at byte "
                      f"{error.start}); expected UTF-8, GBK/GB18030 or Big5 text, or set 'encoding' in the mapping")


def read_table(source: str | Path | pd.DataFrame, *, encoding: str = "auto", sheet: str | int | None = None,
               header_row: int = 1) -> tuple[pd.DataFrame, str]:
    """A table as a frame of strings (empty cells are ``""``), and the encoding read.

    CSV files are tried as UTF-8 (with or without BOM), then GB18030 (a superset of
    GBK), unless ``encoding`` names one. XLSX is read with openpyxl, XLS with xlrd.
    ``header_row`` is the file's row (1-based) that holds the column names; rows above it
    are left out, and the index of each row stays ``file row - 2``.

    >>> frame, enc = read_table(pd.DataFrame({"名称": ["腾讯"], "成立": [1998]}))
    >>> frame.to_dict("records"), enc
    ([{'名称': '腾讯', '成立': '1998'}], 'dataframe')
    """
    if isinstance(source, pd.DataFrame):
        frame = source.astype(object).where(source.notna(), "").astype(str)
        # An integer index is kept: the rows a caller picked from a file (the accepted rows
        # of a review table) are then reported at their lines in that file.
        if pd.api.types.is_integer_dtype(frame.index) and frame.index.is_unique and (frame.index >= 0).all():
            return frame, "dataframe"
        return frame.reset_index(drop=True), "dataframe"
    path = Path(source)
    raw = read_bounded(path, "table")
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return with_header_row(read_workbook(path, raw, sheet), header_row, str(path)), "xlsx"
    if path.suffix.lower() == ".xls":
        return with_header_row(read_xls(path, raw, sheet), header_row, str(path)), "xls"
    text, used = _decode(path, raw, encoding)
    # UTF-8 goes to the parser as the bytes read (the same bytes it would make of the text
    # again); other encodings as the text decoded.
    data = io.BytesIO(raw.removeprefix(codecs.BOM_UTF8)) if used == "utf-8-sig" else io.StringIO(text)
    try:
        frame = pd.read_csv(data, dtype=str, keep_default_na=False, skipinitialspace=False, encoding="utf-8",
                            sep="\t" if path.suffix.lower() == ".tsv" else ",", skiprows=header_row - 1)
    except pd.errors.EmptyDataError as exc:
        raise InputError(Location(str(path)), "no header row: expected the column names on the first line") from exc
    except pd.errors.ParserError as exc:
        raise InputError(Location(str(path)), f"not a well-formed CSV table: {exc}") from exc
    frame.index = range(header_row - 1, header_row - 1 + len(frame))
    return frame, used


def _check_columns(frame: pd.DataFrame, mapping: Mapping, file: str, log: IssueLog) -> None:
    missing = sorted(c for c in mapping.used_columns() - set(mapping.ignore) if c not in frame.columns)
    if missing:
        raise MappingError(
            Location(str(mapping.path), None, missing[0]),
            f"the mapping names column(s) {missing} that {file} does not have; its columns are {list(frame.columns)}",
        )
    for column in frame.columns:
        if column not in mapping.used_columns():
            log.add(Location(file, None, column), f"unknown column '{column}': not in the mapping {mapping.path.name}; ignored")


def _literal_parser(spec: ColumnMap) -> Callable[[str], str]:
    """A function from a cell's text to its N-Quads term; raises ValueError."""
    def lang_or_plain(text: str) -> str:
        escaped = escape_text(text)
        return f'"{escaped}"@{spec.lang}' if spec.lang else f'"{escaped}"'

    def integer(text: str) -> str:
        value = parse_number(text)
        if value != value.to_integral_value():
            raise ValueError(f"expected a whole number, got {text!r}")
        return f'"{int(value)}"^^<{XSD}integer>'

    def decimal(text: str) -> str:
        value = parse_number(text)
        return f'"{value:f}"^^<{XSD}decimal>'

    def date(text: str) -> str:
        iso, kind = parse_date(text)
        return f'"{iso}"^^<{XSD}{kind}>'

    def boolean(text: str) -> str:
        value = {"true": "true", "yes": "true", "是": "true", "1": "true",
                 "false": "false", "no": "false", "否": "false", "0": "false"}.get(text.strip().lower())
        if value is None:
            raise ValueError(f"expected true/false (是/否), got {text!r}")
        return f'"{value}"^^<{XSD}boolean>'

    def iri(text: str) -> str:
        if not _ABSOLUTE_IRI.fullmatch(text):
            raise ValueError(f"expected an absolute IRI, got {text!r}")
        return f"<{text}>"

    def wikidata(text: str) -> str:
        qid = text.strip().rsplit("/", 1)[-1]
        if not (qid.startswith("Q") and qid[1:].isdigit()):
            raise ValueError(f"expected a Wikidata id like Q8686, got {text!r}")
        return f"<{_WIKIDATA}{qid}>"

    parsers = {"string": lang_or_plain, "integer": integer, "decimal": decimal, "date": date,
               "boolean": boolean, "iri": iri, "wikidata": wikidata}
    return parsers[spec.datatype]


# Cells whose term is their own text with a datatype, by the mapping's datatype: whole
# numbers, decimals and years as most tables write them (within parse_number's bound of
# 10^1000), found all at once; every other cell is parsed on its own.
_CANONICAL = {
    "integer": (re.compile(r"^(?:0|-?[1-9][0-9]{0,998})$", re.M), "integer"),
    "decimal": (re.compile(r"^-?(?:0|[1-9][0-9]{0,998})(?:\.[0-9]{1,998})?$", re.M), "decimal"),
    "date": (re.compile(r"^[0-9]{4}$", re.M), "gYear"),
}


def _parse_distinct(cells: Iterable[str], spec: ColumnMap) -> tuple[dict[str, str], dict[str, str]]:
    """The term of each distinct cell ("" for an empty or a bad one) and the error message
    of each bad one. Strings are escaped all at once, canonical numbers and years found by
    one regular-expression pass; only the other cells are parsed one by one.

    >>> terms, errors = _parse_distinct(["12.50", "1,5", "", "x", "12.50"], ColumnMap("c", "g60:c", datatype="decimal"))
    >>> terms["12.50"], terms["1,5"], errors
    ('"12.50"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"15"^^<http://www.w3.org/2001/XMLSchema#decimal>', {'x': "expected a number, got 'x'"})
    """
    texts = list(set(cells) - {""})
    terms: dict[str, str] = {"": ""}
    errors: dict[str, str] = {}
    if spec.datatype == "string":
        suffix = f'"@{spec.lang}' if spec.lang else '"'
        terms.update(zip(texts, ['"' + escaped + suffix for escaped in each_joined(texts, escape_text)]))
        return terms, errors
    if spec.datatype in _CANONICAL:
        pattern, kind = _CANONICAL[spec.datatype]
        suffix = f'"^^<{XSD}{kind}>'
        canonical = set(pattern.findall("\n".join(texts))).intersection(texts)
        terms.update({text: '"' + text + suffix for text in canonical})
    parse = _literal_parser(spec)
    for text in set(texts).difference(terms):
        try:
            terms[text] = parse(text)
        except ValueError as exc:
            terms[text], errors[text] = "", str(exc)
    return terms, errors


def _cell_values(text: str, separator: str | None) -> tuple[str, ...]:
    """The values of a cell: split at the separator, each stripped, empty ones dropped."""
    if separator and separator in text:
        return tuple(x for x in map(str.strip, text.split(separator)) if x)
    return (text,) if text else ()


def _clean_column(values: pd.Series | list[str]) -> list[str]:
    """``clean_text`` of each cell, each distinct value cleaned once."""
    cells = values.tolist() if isinstance(values, pd.Series) else values
    if are_clean(cells):
        return cells
    distinct = list(set(cells))
    cleaned = dict(zip(distinct, clean_texts(distinct)))
    return list(map(cleaned.__getitem__, cells))


def _stripped(values: pd.Series) -> list[str]:
    """The cells of a column of text without surrounding whitespace (``str.strip``, one
    call per cell in C, where pandas' ``.str.strip`` makes a Python call per cell).

    >>> _stripped(pd.Series([" a ", "b", "\\u3000c\\n"]))
    ['a', 'b', 'c']
    """
    return list(map(str.strip, values.astype(str).tolist()))


def typed_rows(frame: pd.DataFrame, mapping: Mapping, file: str, log: IssueLog) -> pd.DataFrame:
    """The rows of ``frame`` as the mapping reads them, bad rows reported and dropped.

    Built-in parts become columns named after the part (``name``, ``source``...), text
    cleaned; literal properties become N-Quads terms (tuples when the column has a
    separator); references stay text (tuples) for the resolver.

    >>> from g60kg.loaders.mapping import load_mapping
    >>> from importlib import resources
    >>> m = load_mapping(resources.files("g60kg") / "data/mappings/people.yaml")
    >>> f = pd.DataFrame({"id": ["person/x"], "name_zh": ["蒲慕明"], "name_en": [""], "aliases": ["Mu-ming Poo|蒲先生"],
    ...                   "source": ["s"], "quote": ["q"], "notes": [""]})
    >>> typed_rows(f, m, "p.csv", IssueLog()).iloc[0][["name", "class", "skos:altLabel"]].tolist()
    ['蒲慕明', 'Person', ('"Mu-ming Poo"@zh', '"蒲先生"@zh')]
    """
    _check_columns(frame, mapping, file, log)
    out = pd.DataFrame(index=frame.index)
    out[FILE] = file
    out[ROW] = frame.index + 2  # the header is row 1
    bad = pd.Series("", index=frame.index)
    bad_column = pd.Series("", index=frame.index)
    cleaned_parts = {"name", "class", "id", "subject", "object", "predicate", "source"}
    for part, column in mapping.fields.items():
        out["_col_" + part] = column
        out[part] = _clean_column(frame[column].astype(str)) if part in cleaned_parts else _stripped(frame[column])
    for part, value in mapping.defaults.items():
        if part not in mapping.fields:
            out[part] = value
        else:
            out[part] = out[part].where(out[part] != "", value)
    for spec in mapping.properties:
        out["_col_" + spec.property] = spec.column
        cells = _stripped(frame[spec.column])
        if spec.ref or spec.property in {"rdfs:label", "skos:altLabel"}:
            cells = _clean_column(cells)
        if not spec.separator and not spec.ref:  # one value per cell: a term per cell
            terms, errors = _parse_distinct(cells, spec)
            one = {text: (term,) if term else () for text, term in terms.items()}
            out[spec.property] = list(map(one.__getitem__, cells))
            if errors:
                _mark(bad, bad_column, frame.index, [errors.get(c, "") for c in cells], spec.column)
            continue
        values = {text: _cell_values(text, spec.separator) for text in set(cells)}
        if spec.ref:
            out[spec.property] = list(map(values.__getitem__, cells))
            continue
        terms, errors = _parse_distinct(chain.from_iterable(values.values()), spec)
        cell_terms = {text: tuple(map(terms.__getitem__, parts)) for text, parts in values.items()}
        out[spec.property] = list(map(cell_terms.__getitem__, cells))
        if errors:
            first = {text: next((errors[v] for v in parts if v in errors), "") for text, parts in values.items()}
            _mark(bad, bad_column, frame.index, list(map(first.__getitem__, cells)), spec.column)
    _require(out, mapping, bad, bad_column)
    for idx in bad[bad != ""].index:
        log.add(Location(file, int(out.at[idx, ROW]), bad_column[idx]), bad[idx])
    return out[bad == ""].astype(object)


def _mark(bad: pd.Series, bad_column: pd.Series, index: pd.Index, errors: list[str], column: str) -> None:
    """Mark each row with an error message (one per row, "" for none) as bad at
    ``column``, unless an earlier column made it bad already."""
    if not any(errors):
        return
    for idx, message in zip(index, errors):
        if message and bad[idx] == "":
            bad[idx], bad_column[idx] = message, column


def _require(out: pd.DataFrame, mapping: Mapping, bad: pd.Series, bad_column: pd.Series) -> None:
    """Mark rows whose required parts are empty."""
    required, _ = KINDS[mapping.kind]
    for part in required:
        empty = (out[part] == "") & (bad == "")
        column = mapping.fields.get(part, part)
        bad[empty] = f"missing required value: '{column}' ({part}) is empty"
        bad_column[empty] = column
