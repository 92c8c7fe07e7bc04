"""Entities across tables: ids assigned, rows of one entity merged, names indexed, and
references (a city, a parent, the subject of a relation) resolved to ids.

Curated rows carry an explicit id; a user's row without one merges into the entity whose
name or alias it matches, or gets an id derived from its name. Rows of one id from
different sources are kept (each is a fact of its own source); a row whose single-valued
cells contradict an earlier row of the same id is reported and skipped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cached_property
from itertools import chain, compress, repeat

import numpy as np
import pandas as pd

from g60kg.errors import Location
from g60kg.loaders.issues import IssueLog
from g60kg.text.normalize import each_joined, name_key, name_keys, place_keys, slug_for
from g60kg.loaders.nquads import IRI_TEXT, escape_text
from g60kg.loaders.tables import FILE, ROW
from g60kg.loaders.vocabulary import Vocabulary

# The suffixes of a division at county level or above (a town is 镇 or 街道).
_COUNTY_OR_ABOVE = re.compile(r"(特别行政区|自治区|自治州|新区|省|市|区|县)$")

__all__ = ["EntityIndex", "ENTITY_ID", "SINGLE_VALUED", "column_label"]

ENTITY_ID = re.compile(r"[a-z][a-z0-9-]*/" + IRI_TEXT)  # kind/slug, the tail of an entity IRI
# Properties with one value per entity: a second, different value is a conflict.
SINGLE_VALUED = ("class", "name", "g60:adminCode", "g60:lat", "g60:lon", "g60:foundedIn", "owl:sameAs")
_REF_EXPECT = {"place": "a place id such as place/songjiang or a known place name",
               "org": "an organization id or a known organization name",
               "sector": "a sector id such as ai or integrated-circuits",
               "any": "an entity id or a known name"}


def column_label(frame: pd.DataFrame, idx: object, part: str) -> str:
    """The table's own name for the column that fills ``part`` in row ``idx``."""
    label = f"_col_{part}"
    return str(frame.at[idx, label]) if label in frame and isinstance(frame.at[idx, label], str) else part


def _skip(frame: pd.DataFrame, mask: pd.Series, column: str, messages: pd.Series, log: IssueLog) -> pd.DataFrame:
    for idx in frame.index[mask]:
        log.add(Location(frame.at[idx, FILE], int(frame.at[idx, ROW]), column_label(frame, idx, column)), messages[idx])
    return frame[~mask]


class EntityIndex:
    """All entity rows of a build, merged by id, with a name index to resolve references.

    >>> from g60kg.loaders.vocabulary import vocabulary
    >>> rows = pd.DataFrame({"_file": ["p.csv"] * 2, "_row": [2, 3], "id": ["place/shanghai", ""],
    ...                      "class": ["City", "District"], "name": ["上海市", "松江区"],
    ...                      "g60:partOf": [(), ("上海",)], "source": ["s", "s"]})
    >>> index = EntityIndex([rows], vocabulary(), IssueLog())
    >>> index.resolve("上海松江", "place") == index.resolve("Songjiang", "place") == index.resolve("松江区")
    False
    >>> index.resolve("上海松江", "place") == index.resolve("松江", "place") == index.resolve("松江区")
    True
    """

    def __init__(self, frames: list[pd.DataFrame], vocab: Vocabulary, log: IssueLog) -> None:
        self.vocab = vocab
        self.log = log
        rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[FILE, ROW, "id", "class", "name"])
        if "id" not in rows:
            rows["id"] = ""
        rows["id"] = rows["id"].fillna("")
        for column in rows.columns:
            if column.startswith(("g60:", "rdfs:", "skos:", "owl:", "schema:", "dcterms:")):
                rows[column] = _no_missing(rows[column])
        rows = self._check_classes(rows)
        rows = self._assign_ids(rows)
        self.rows = self._merge(rows)
        first = self.rows.drop_duplicates("id")
        ids = first["id"].tolist()
        self.classes: dict[str, str] = dict(zip(ids, first["class"].tolist()))
        self.names: dict[str, str] = dict(zip(ids, first["name"].tolist()))
        # The name index is built when first needed (a build writes the entities' quads
        # first, so the store loads them meanwhile), from the rows as merged here.
        self._named = self.rows[[c for c in ("id", "source", "class", "name", "rdfs:label", "skos:altLabel",
                                             "g60:partOf") if c in self.rows]]

    # -- ids and classes ---------------------------------------------------------
    def _check_classes(self, rows: pd.DataFrame) -> pd.DataFrame:
        unknown = ~rows["class"].isin(self.vocab.classes)
        if not unknown.any():
            return rows
        messages = "unknown class '" + rows["class"] + "': expected one of " + ", ".join(sorted(self.vocab.classes))
        return _skip(rows, unknown, "class", messages, self.log)

    def _assign_ids(self, rows: pd.DataFrame) -> pd.DataFrame:
        given = rows["id"] != ""
        malformed = given & ~rows["id"].str.fullmatch(ENTITY_ID)
        if malformed.any():
            messages = "malformed id '" + rows["id"] + "': expected kind/slug such as org/tencent (no spaces, control characters or <>\"{}|^`\\)"
            rows = _skip(rows, malformed, "id", messages, self.log)
        if "skos:altLabel" not in rows:
            rows["skos:altLabel"] = [()] * len(rows)
        if (rows["id"] != "").all():
            return rows  # every row names its entity: no name to match
        ids, names, classes = rows["id"].tolist(), rows["name"].tolist(), rows["class"].tolist()
        aliases = rows["skos:altLabel"].tolist()
        langs = rows["name_lang"].tolist() if "name_lang" in rows else ["zh"] * len(rows)
        all_names = _names(rows)
        known: dict[str, str] = {}
        canonical: dict[str, str] = {}
        for ident, cls, texts in zip(ids, classes, all_names):
            if ident:
                canonical.setdefault(ident, texts[0])
                for name in texts:
                    for key in self._keys(name, cls):
                        known.setdefault(key, ident)
        for i, (ident, name, cls) in enumerate(zip(ids, names, classes)):
            if ident:
                continue
            keys = self._keys(name, cls)
            match = next((known[k] for k in keys if k in known), None)
            if match is None:
                match = slug_for(self.vocab.kind_of(cls), name)
                canonical.setdefault(match, name)
            elif canonical.get(match, name) != name:
                # Known under another name: this row's name becomes an alias of it.
                aliases[i] = (*aliases[i], f'"{escape_text(name)}"@{langs[i]}')
                names[i] = canonical[match]
            ids[i] = match
            for key in keys:
                known.setdefault(key, match)
        rows["id"], rows["name"], rows["skos:altLabel"] = ids, names, aliases
        return rows

    def _keys(self, name: str, cls: str) -> set[str]:
        return place_keys(name) if self.vocab.is_a(cls, "Place") else {name_key(name)}

    def _merge(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Skip later rows of an id whose single-valued cells contradict the first."""
        dup = rows[rows["id"].duplicated(keep=False)]
        bad: dict[int, tuple[str, str]] = {}
        for ident, group in dup.groupby("id", sort=False):
            for column in (c for c in SINGLE_VALUED if c in group):
                seen: tuple[object, int, str] | None = None
                for idx in group.index:
                    value = group.at[idx, column]
                    if value in ("", ()):
                        continue
                    if seen is None:
                        seen = (value, int(group.at[idx, ROW]), group.at[idx, FILE])
                    elif value != seen[0] and idx not in bad:
                        shown = value[0] if isinstance(value, tuple) else value
                        first = seen[0][0] if isinstance(seen[0], tuple) else seen[0]
                        bad[idx] = (column, f"duplicate id '{ident}' with a conflicting {column}: {shown} here, "
                                            f"{first} at {seen[2]}:{seen[1]}")
        mask = rows.index.isin(list(bad))
        messages = pd.Series({i: m for i, (_, m) in bad.items()}, dtype=object).reindex(rows.index)
        for idx in rows.index[mask]:
            self.log.add(Location(rows.at[idx, FILE], int(rows.at[idx, ROW]), column_label(rows, idx, bad[idx][0])),
                         messages[idx])
        return rows[~mask].reset_index(drop=True)

    # -- names ----------------------------------------------------------------------
    @cached_property
    def key_table(self) -> pd.DataFrame:
        """The distinct keys of the names each source gives each entity (``id``,
        ``source`` and ``key`` columns): a source's graph holds the keys of its names."""
        rows = self._named
        del self._named  # indexed once: the snapshot is not needed again
        parents = self._parents(rows)
        positions, texts = _flat_names(rows)
        ids = rows["id"].to_numpy(dtype=object)
        sources = rows["source"].to_numpy(dtype=object) if "source" in rows else np.full(len(ids), "", dtype=object)
        classes = rows["class"].tolist()
        is_place = {cls: self.vocab.is_a(cls, "Place") for cls in set(classes)}
        place = np.fromiter(map(is_place.__getitem__, classes), dtype=bool, count=len(classes))[positions]
        owners, givers = ids[positions[~place]].tolist(), sources[positions[~place]].tolist()
        # The names were cleaned as the tables were read (``typed_rows``).
        keys = name_keys(list(compress(texts, ~place)), cleaned=True)
        place_names: dict[int, list[str]] = defaultdict(list)
        for position, text in compress(zip(positions.tolist(), texts), place):
            place_names[position].append(text)
        for position, names in place_names.items():
            ident = ids[position]
            found = {key for text in names for key in place_keys(text, tuple(parents.get(ident, ())))}
            owners += [ident] * len(found)
            givers += [sources[position]] * len(found)
            keys += sorted(found)
        table = pd.DataFrame({"id": owners, "source": givers, "key": keys}, dtype=object)
        return table[table["key"] != ""].drop_duplicates(ignore_index=True)

    @cached_property
    def _entity_keys(self) -> pd.DataFrame:
        """The distinct (``id``, ``key``) pairs of ``key_table``."""
        return self.key_table[["id", "key"]].drop_duplicates(ignore_index=True)

    @cached_property
    def ambiguous(self) -> set[str]:
        """Name keys of more than one entity."""
        table = self._entity_keys
        return set(table.loc[table["key"].duplicated(keep=False), "key"])

    @cached_property
    def by_key(self) -> dict[str, str]:
        """The entity of each name key that names one entity."""
        table = self._entity_keys
        unique = ~table["key"].duplicated(keep=False)
        return dict(zip(table.loc[unique, "key"].tolist(), table.loc[unique, "id"].tolist()))

    def _parents(self, rows: pd.DataFrame) -> dict[str, list[str]]:
        """Names of each place's parents (given as ids or names), for 上海松江-style keys."""
        if "g60:partOf" not in rows:
            return {}
        out: dict[str, list[str]] = defaultdict(list)
        for ident, refs in zip(rows["id"].tolist(), rows["g60:partOf"].tolist()):
            for ref in refs:
                out[ident].append(self.names.get(ref, ref))
        return out

    def resolve(self, value: str, kind: str = "any") -> str | None:
        """The id a reference names (an id, a name or an alias), or None.

        The entity must be of the kind asked for (``place``, ``org``, ``any``);
        ``sector`` resolves against the sector scheme and returns the sector IRI.
        """
        if kind == "sector":
            return self.vocab.sectors.get(value) or self.vocab.sectors.get(value.lower())
        ident = value if value in self.classes else self.by_key.get(name_key(value))
        if ident is None and kind in ("place", "any"):
            ident = next((self.by_key[k] for k in place_keys(value)
                          if k in self.by_key and not self._town_for_a_city(value, self.by_key[k])), None)
        if ident is None:
            return None
        top = {"place": "Place", "org": "Organization"}.get(kind)
        if top and not self.vocab.is_a(self.classes[ident], top):
            return None
        return ident

    def _resolve_each(self, values: set[str], kind: str) -> dict[str, str | None]:
        """``resolve`` of each distinct reference: those that are ids found by one set
        operation (and their classes checked by class, not by entity), the rest one by one.

        >>> from g60kg.loaders.vocabulary import vocabulary
        >>> rows = pd.DataFrame({"_file": ["p.csv"] * 2, "_row": [2, 3], "id": ["place/wuhu", "org/x"],
        ...                      "class": ["City", "Enterprise"], "name": ["芜湖市", "星海"], "source": ["s", "s"]})
        >>> index = EntityIndex([rows], vocabulary(), IssueLog())
        >>> sorted(index._resolve_each({"place/wuhu", "org/x", "芜湖", "无名"}, "place").items())
        [('org/x', None), ('place/wuhu', 'place/wuhu'), ('无名', None), ('芜湖', 'place/wuhu')]
        """
        if kind == "sector":
            return {value: self.resolve(value, kind) for value in values}
        ids = values & self.classes.keys()
        top = {"place": "Place", "org": "Organization"}.get(kind)
        if top is None:
            found: dict[str, str | None] = dict(zip(ids, ids))
        else:
            allowed = {name for name in self.vocab.classes if self.vocab.is_a(name, top)}
            classes = self.classes
            found = {ident: ident if classes[ident] in allowed else None for ident in ids}
        found.update((value, self.resolve(value, kind)) for value in values - ids)
        return found

    def _town_for_a_city(self, value: str, ident: str) -> bool:
        """Whether ``value`` names a city, county or province (its suffix says so) and
        ``ident`` is a town or sub-district that only shares its bare name: 中山市 (a city
        of Guangdong) is not 中山街道 (a sub-district of 松江)."""
        return bool(_COUNTY_OR_ABOVE.search(name_key(value))) and self.vocab.is_a(self.classes[ident], "Town")

    def _unresolved(self, value: str, kind: str, label: str) -> str:
        why = "ambiguous" if name_key(value) in self.ambiguous else "unknown"
        return f"{why} {label} '{value}': expected {_REF_EXPECT[kind]}"

    def resolve_column(self, frame: pd.DataFrame, column: str, kind: str, label: str) -> pd.DataFrame:
        """Resolve a column of references (text or tuples of text) to ids in place;
        rows with a reference that names nothing are reported and skipped."""
        values = frame[column].tolist()
        if not set(map(type, values)) - {str}:  # one reference per cell
            return self._resolve_texts(frame, column, values, kind, label)
        cells = {cell: cell if isinstance(cell, tuple) else (cell,) for cell in set(values)}
        ids = self._resolve_each(set(chain.from_iterable(cells.values())), kind)
        unresolved = {cell: next((ref for ref in refs if ids[ref] is None), None) for cell, refs in cells.items()}
        failing = {cell for cell, ref in unresolved.items() if ref is not None}
        if failing:
            mask = np.fromiter(map(failing.__contains__, values), dtype=bool, count=len(values))
            messages = pd.Series([self._unresolved(unresolved[cell], kind, label) for cell in values if cell in failing],
                                 index=frame.index[mask], dtype=object)
            frame = _skip(frame, pd.Series(mask, index=frame.index), column, messages, self.log)
            values = frame[column].tolist()
        if not len(frame):
            return frame
        if isinstance(values[0], tuple):
            resolved = {cell: tuple(ids[ref] for ref in refs) for cell, refs in cells.items() if cell not in failing}
        else:
            resolved = {cell: ids[refs[0]] for cell, refs in cells.items() if cell not in failing}
        return frame.assign(**{column: list(map(resolved.__getitem__, values))})

    def _resolve_texts(self, frame: pd.DataFrame, column: str, values: list[str], kind: str,
                       label: str) -> pd.DataFrame:
        """``resolve_column`` of a column of one reference (text) per cell: each distinct
        reference resolved once, the cells looked up in C."""
        ids = self._resolve_each(set(values), kind)
        resolved = list(map(ids.__getitem__, values))
        if None in ids.values():
            failing = [ident is None for ident in resolved]
            mask = pd.Series(failing, index=frame.index, dtype=bool)
            messages = pd.Series([self._unresolved(value, kind, label) for value, fails in zip(values, failing) if fails],
                                 index=frame.index[mask], dtype=object)
            frame = _skip(frame, mask, column, messages, self.log)
            resolved = [ident for ident in resolved if ident is not None]
        return frame.assign(**{column: resolved}) if len(frame) else frame


def _no_missing(cells: pd.Series) -> np.ndarray:
    """A column of tuples with its missing cells (those of a table without the column)
    made empty tuples, without a Python step per cell.

    >>> _no_missing(pd.Series([("a",), None, float("nan")])).tolist()
    [('a',), (), ()]
    """
    values = cells.to_numpy(dtype=object, copy=True)
    missing = pd.isna(values)
    if missing.any():
        empty = np.empty(int(missing.sum()), dtype=object)
        empty.fill(())
        values[missing] = empty
    return values


def _names(rows: pd.DataFrame) -> list[list[str]]:
    """The name, labels and aliases of each entity row, as plain text."""
    names: list[list[str]] = [[] for _ in range(len(rows))]
    positions, texts = _flat_names(rows)
    for position, text in zip(positions.tolist(), texts):
        names[position].append(text)
    return names


def _flat_names(rows: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """The name, labels and aliases of the entity rows as plain text, row by row (in
    that order within a row), with the position of the row of each.

    >>> rows = pd.DataFrame({"name": ["芜湖市", "星海"], "rdfs:label": [('"Wuhu"@en',), ()],
    ...                      "skos:altLabel": [('"江城"@zh', '"a \\\\"b\\\\""@zh'), ()]})
    >>> positions, texts = _flat_names(rows)
    >>> positions.tolist(), texts
    ([0, 0, 0, 0, 1], ['芜湖市', 'Wuhu', '江城', 'a "b"', '星海'])
    """
    rows_at = np.arange(len(rows))
    positions, texts = [rows_at], rows["name"].tolist()
    for column in ("rdfs:label", "skos:altLabel"):
        if column in rows:
            cells = rows[column].tolist()
            positions.append(np.repeat(rows_at, np.fromiter(map(len, cells), dtype=np.intp, count=len(cells))))
            texts += _texts(list(chain.from_iterable(cells)))
    position = np.concatenate(positions)
    order = np.argsort(position, kind="stable")
    return position[order], np.array(texts, dtype=object)[order].tolist()


def _texts(terms: list[str]) -> list[str]:
    """The lexical forms of N-Quads literal terms (no Python step per term).

    >>> _texts(['"Wuhu"@en', '"a \\\\"b\\\\""@zh', '"1"^^<x>'])
    ['Wuhu', 'a "b"', '1']
    """
    cores = list(map(str.__getitem__, terms, map(slice, repeat(1), map(str.rfind, terms, repeat('"')))))
    return each_joined(cores, _unescaped)


def _unescaped(text: str) -> str:
    return text.replace('\\"', '"').replace("\\\\", "\\")
