"""Declarative mappings from a table's columns onto the ontology (YAML or TOML).

A mapping names its table, the kind of rows it holds, which columns play the built-in
parts (id, class, name, source, quote; subject/predicate/object; indicator/value/unit),
and which ontology property every other column fills. See ``docs/mappings.md``.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from g60kg.errors import Location, MappingError
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
    name_lang: str = "zh"
    sources: dict[str, dict[str, str]] = field(default_factory=dict)

    def column_of(self, part: str) -> str | None:
        """The column that plays a built-in part, or None when a default stands in."""
        return self.fields.get(part)

    def used_columns(self) -> set[str]:
        """Every column this mapping reads or ignores on purpose."""
        return set(self.fields.values()) | {c.column for c in self.properties} | set(self.ignore)


def _read(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text) if path.suffix == ".toml" else yaml.safe_load(text)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(Location(str(path)), f"not valid {path.suffix.lstrip('.').upper()}: {exc}") from exc
    if not isinstance(data, dict):
        raise MappingError(Location(str(path)), "expected a mapping of keys (table, kind, fields, properties)")
    return data


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
        name_lang=_language(Location(str(path), None, "name_lang"), data.get("name_lang", "zh")),
        sources=_inline_sources(path, data.get("sources") or {}),
    )


def _table_path(mapping: Path, table: object) -> Path | None:
    """The table a mapping names, inside the mapping's folder once links are resolved
    (the bundled mappings: inside g60kg's data folder): a mapping someone else wrote
    cannot make a build read ``../../etc/passwd``.

    >>> _table_path(Path("maps/firms.yaml"), "../secret.csv")
    Traceback (most recent call last):
    g60kg.errors.MappingError: maps/firms.yaml:table: the table must be a file in the mapping's folder or below it; '../secret.csv' is not
    """
    if table is None or table == "":
        return None
    folder = mapping.parent.resolve()
    bundled = Path(str(resources.files("g60kg") / "data")).resolve()
    root = bundled if folder.is_relative_to(bundled) else folder
    try:
        resolved = (folder / str(table)).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # a link loop, a NUL in the name
        raise MappingError(Location(str(mapping), None, "table"), f"cannot resolve the table path {str(table)!r}: {exc}") from exc
    if not resolved.is_relative_to(root):
        raise MappingError(Location(str(mapping), None, "table"), "the table must be a file in the mapping's folder or "
                                                                  f"below it; {str(table)!r} is not")
    return resolved


def _inline_sources(path: Path, sources: Any) -> dict[str, dict[str, str]]:
    """A mapping's own source entries (id → title, url, language …), languages checked."""
    out = {str(k): {str(a): str(b) for a, b in v.items()} for k, v in sources.items()}
    for key, entry in out.items():
        if entry.get("language"):
            entry["language"] = _language(Location(str(path), None, f"sources.{key}.language"), entry["language"])
    return out
