"""Declarative mappings from a table's columns onto the ontology (YAML or TOML).

A mapping names its table, the kind of rows it holds, which columns play the built-in
parts (id, class, name, source, quote; subject/predicate/object; indicator/value/unit),
and which ontology property every other column fills. See ``docs/mappings.md``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from g60kg.errors import Location, MappingError
from g60kg.loaders.files import read_bounded
from g60kg.loaders.nquads import LANGUAGE_TAG
from g60kg.loaders.vocabulary import expand
from g60kg.ontology import G60, PREFIXES

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ColumnMap", "Mapping", "TableInput", "load_mapping", "KINDS"]

# The built-in parts each kind of table has; the first tuple is required.
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "entities": (("name", "class", "source"), ("id", "quote", "method", "confidence")),
    "relations": (("subject", "predicate", "object", "source"), ("quote", "method", "confidence")),
    "observations": (("subject", "indicator", "value", "unit", "source"), ("id", "quote", "qualifier", "method", "confidence")),
    "sources": (("id", "title"), ("publisher", "date", "url", "language", "kind")),
    "links": (("city_a", "city_b", "layer", "weight", "source", "quote"), ("year", "indicator", "unit")),
}
DATATYPES = {"string", "integer", "decimal", "date", "boolean", "iri", "wikidata"}
REF_KINDS = {"place", "org", "sector", "any"}


@dataclass(frozen=True)
class ColumnMap:
    """How one column becomes a property: a literal (with a language or a datatype)
    or a reference to another entity (``ref``)."""

    column: str
    property: str
    lang: str | None = None
    datatype: str = "string"
    ref: str | None = None
    separator: str | None = None


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping file."""

    path: Path
    table: Path | None
    kind: str
    fields: dict[str, str]
    defaults: dict[str, str]
    properties: tuple[ColumnMap, ...]
    ignore: frozenset[str] = frozenset()
    encoding: str = "auto"
    sheet: str | int | None = None
    header_row: int = 1
    name_lang: str = "zh"
    sources: dict[str, dict[str, str]] = field(default_factory=dict)

    def column_of(self, part: str) -> str | None:
        """The column that plays a built-in part, or None when a default stands in."""
        return self.fields.get(part)

    def used_columns(self) -> set[str]:
        """Every column this mapping reads or ignores on purpose."""
        return set(self.fields.values()) | {c.column for c in self.properties} | set(self.ignore)


MAX_NODES = 100_000  # values a mapping may hold once its YAML aliases are expanded


def _read(path: Path) -> dict[str, Any]:
    raw = read_bounded(path, "mapping")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise MappingError(Location(str(path), line), f"not UTF-8 ({exc.reason} at byte {exc.start}): save the mapping "
                                                      "as UTF-8 (its tables may be in any encoding)") from exc
    try:
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        else:
            _check_aliases(path, text)
            data = yaml.safe_load(text)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(Location(str(path)), f"not valid {path.suffix.lstrip('.').upper()}: {exc}") from exc
    if not isinstance(data, dict):
        raise MappingError(Location(str(path)), "expected a mapping of keys (table, kind, fields, properties)")
    return data


def _check_aliases(path: Path, text: str) -> None:
    r"""Refuse a YAML text whose aliases would expand to more than ``MAX_NODES`` nodes,
    counted on the event stream before anything is built: a few lines of nested aliases
    (a "billion laughs") stand for billions of nodes to whatever walks the result.

    >>> bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    ...     f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    >>> _check_aliases(Path("m.yaml"), bomb)
    Traceback (most recent call last):
    g60kg.errors.MappingError: m.yaml:6: the YAML aliases (*name) stand for more than 100000 values; a mapping needs few, if any
    """
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # [anchor, nodes so far] of each open collection
    total = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            stack.append([event.anchor, 1])
            continue
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            anchor, size = stack.pop()
        elif isinstance(event, yaml.ScalarEvent):
            anchor, size = event.anchor, 1
        elif isinstance(event, yaml.AliasEvent):
            anchor, size = None, sizes.get(event.anchor, 1)
        else:
            continue
        if anchor:
            sizes[anchor] = size
        if stack:
            stack[-1][1] += size
        total += size if not stack else 0
        if size > MAX_NODES or (stack and stack[-1][1] > MAX_NODES) or total > MAX_NODES:
            raise MappingError(Location(str(path), event.start_mark.line + 1),
                               f"the YAML aliases (*name) stand for more than {MAX_NODES} values; a mapping needs few, "
                               "if any")


def _column_map(path: Path, column: str, spec: Any) -> ColumnMap:
    where = Location(str(path), None, f"properties.{column}")
    if isinstance(spec, str):
        spec = {"property": spec}
    if not isinstance(spec, dict) or "property" not in spec:
        raise MappingError(where, "expected {property: PREFIX:NAME, ...}")
    unknown = set(spec) - {"property", "lang", "datatype", "ref", "separator"}
    if unknown:
        raise MappingError(where, f"unknown keys {sorted(unknown)}; expected property, lang, datatype, ref, separator")
    try:
        iri = expand(str(spec["property"]))
    except ValueError as exc:
        raise MappingError(where, str(exc)) from exc
    if iri.startswith(PREFIXES["g60"]) and iri not in set(map(str, dir(G60))):
        raise MappingError(where, f"unknown property {spec['property']!r}: the g60 ontology has no such term")
    datatype = spec.get("datatype", "string")
    if datatype not in DATATYPES:
        raise MappingError(where, f"unknown datatype {datatype!r}; expected one of {sorted(DATATYPES)}")
    ref = spec.get("ref")
    if ref is not None and ref not in REF_KINDS:
        raise MappingError(where, f"unknown ref kind {ref!r}; expected one of {sorted(REF_KINDS)}")
    lang = _language(where, spec["lang"]) if spec.get("lang") is not None else None
    return ColumnMap(column, spec["property"], lang, datatype, ref, spec.get("separator"))


def _header_row(path: Path, value: object) -> int:
    """The row (1-based) of a table that holds its column names.

    >>> _header_row(Path("m.yaml"), 3)
    3
    >>> _header_row(Path("m.yaml"), "first")
    Traceback (most recent call last):
    g60kg.errors.MappingError: m.yaml:header_row: expected the number of the row that holds the column names (1 for the first row), got 'first'
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise MappingError(Location(str(path), None, "header_row"), "expected the number of the row that holds the "
                                                                   f"column names (1 for the first row), got {value!r}")
    return value


def _language(where: Location, value: object) -> str:
    """A language tag as RDF needs it (BCP 47), or an error that shows the form.

    >>> _language(Location("m.yaml", None, "name_lang"), "zh-Hans")
    'zh-Hans'
    >>> _language(Location("m.yaml", None, "name_lang"), "zh_CN")
    Traceback (most recent call last):
    g60kg.errors.MappingError: m.yaml:name_lang: expected a language tag such as zh, en or zh-CN (BCP 47: letters and digits joined by '-'), got 'zh_CN'
    """
    text = str(value).strip()
    if not LANGUAGE_TAG.fullmatch(text):
        raise MappingError(where, "expected a language tag such as zh, en or zh-CN (BCP 47: letters and digits "
                                  f"joined by '-'), got {text!r}")
    return text


@dataclass(frozen=True)
class TableInput:
    """A table given as a DataFrame (or a path) with the mapping that reads it.

    >>> import pandas as pd
    >>> m = Mapping(path=Path("firms.yaml"), table=None, kind="entities",
    ...             fields={"name": "name", "class": "class", "source": "source"}, defaults={}, properties=())
    >>> TableInput(m, pd.DataFrame({"name": ["星海科技"]})).mapping.kind
    'entities'
    """

    mapping: Mapping
    table: pd.DataFrame | Path | None = None
    name: str | None = None


def load_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping file.

    >>> from importlib import resources
    >>> m = load_mapping(resources.files("g60kg") / "data/mappings/organizations.yaml")
    >>> m.kind, m.fields["name"], m.table.name
    ('entities', 'name_zh', 'organizations.csv')
    """
    path = Path(path)
    data = _read(path)
    kind = data.get("kind")
    if kind not in KINDS:
        raise MappingError(Location(str(path), None, "kind"), f"expected one of {sorted(KINDS)}, got {kind!r}")
    fields = {str(k): str(v) for k, v in (data.get("fields") or {}).items()}
    defaults = {str(k): str(v) for k, v in (data.get("defaults") or {}).items()}
    required, optional = KINDS[kind]
    unknown = set(fields) | set(defaults)
    unknown -= set(required) | set(optional)
    if unknown:
        raise MappingError(
            Location(str(path), None, "fields"),
            f"unknown parts {sorted(unknown)} for kind {kind}; expected {sorted(required + optional)}",
        )
    missing = [part for part in required if part not in fields and part not in defaults]
    if missing:
        raise MappingError(
            Location(str(path), None, "fields"),
            f"kind {kind} needs a column or a default for {missing}",
        )
    properties = tuple(_column_map(path, col, spec) for col, spec in (data.get("properties") or {}).items())
    return Mapping(
        path=path,
        table=_table_path(path, data.get("table")),
        kind=kind,
        fields=fields,
        defaults=defaults,
        properties=properties,
        ignore=frozenset(data.get("ignore") or ()),
        encoding=str(data.get("encoding", "auto")),
        sheet=data.get("sheet"),
        header_row=_header_row(path, data.get("header_row", 1)),
        name_lang=_language(Location(str(path), None, "name_lang"), data.get("name_lang", "zh")),
        sources=_inline_sources(path, data.get("sources") or {}),
    )


def _table_path(mapping: Path, table: object) -> Path | None:
    """The table a mapping names, inside the mapping's folder once links are resolved
    (or inside the folder above, for a mapping kept in a folder named ``mappings``, as
    the bundled data keeps them): a mapping someone else wrote cannot make a build read
    ``../../etc/passwd``.

    >>> _table_path(Path("maps/firms.yaml"), "../secret.csv")
    Traceback (most recent call last):
    g60kg.errors.MappingError: maps/firms.yaml:table: the table must be a file in the mapping's folder or below it (for a mapping in mappings/, the folder above); '../secret.csv' is not
    """
    if table is None or table == "":
        return None
    folder = mapping.parent.resolve()
    root = folder.parent if folder.name == "mappings" else folder
    try:
        resolved = (folder / str(table)).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # a link loop, a NUL in the name
        raise MappingError(Location(str(mapping), None, "table"), f"cannot resolve the table path {str(table)!r}: {exc}") from exc
    if not resolved.is_relative_to(root):
        raise MappingError(Location(str(mapping), None, "table"), "the table must be a file in the mapping's folder or "
                                                                  f"below it (for a mapping in mappings/, the folder above); "
                                                                  f"{str(table)!r} is not")
    return resolved


def _inline_sources(path: Path, sources: Any) -> dict[str, dict[str, str]]:
    """A mapping's own source entries (id → title, url, language …), languages checked."""
    out = {str(k): {str(a): str(b) for a, b in v.items()} for k, v in sources.items()}
    for key, entry in out.items():
        if entry.get("language"):
            entry["language"] = _language(Location(str(path), None, f"sources.{key}.language"), entry["language"])
    return out
