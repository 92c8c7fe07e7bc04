"""The review table in: a curator's decisions on an article's candidates, and the
accepted rows as the same typed tables the table loader reads, so they are built with
provenance like any other source (its own named graph, a ``g60:Source``, statements
with the quote, ``g60:method "extracted"`` and the confidence). ``g60kg.news.review``
writes the table; see ``docs/news.md`` for the columns and the workflow.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from g60kg.errors import InputError, Location
from g60kg.loaders.mapping import ColumnMap, Mapping, TableInput
from g60kg.loaders.tables import read_table
from g60kg.text.spreadsheet import restored

__all__ = ["COLUMNS", "DECISIONS", "is_review_table", "review_inputs"]

COLUMNS = ["row", "kind", "decision", "confidence", "name", "type", "link", "link_name", "link_class", "aliases",
           "subject", "subject_link", "subject_candidates", "predicate", "object", "object_link", "object_candidates",
           "role", "indicator", "value", "unit", "qualifier", "time", "mention", "start", "end", "sentence",
           "sentence_start", "sentence_end", "rule", "source", "title", "publisher", "date", "url", "notes"]
DECISIONS = {"accept": "accept", "accepted": "accept", "a": "accept", "yes": "accept", "y": "accept", "ok": "accept",
             "接受": "accept", "通过": "accept", "edit": "accept", "edited": "accept", "e": "accept", "修改": "accept",
             "reject": "reject", "rejected": "reject", "r": "reject", "no": "reject", "n": "reject", "拒绝": "reject",
             "": ""}
_REQUIRED = {"row", "kind", "decision", "name", "subject", "predicate", "object", "value", "unit", "sentence", "source"}



def is_review_table(path: Path) -> bool:
    """A review table by its name (``*.review.csv`` / ``*.review.xlsx``) or its header."""
    name = path.name.lower()
    if name.endswith((".review.csv", ".review.xlsx")):
        return True
    if path.suffix.lower() != ".csv" or not path.exists():
        return False
    with path.open("rb") as handle:
        head = handle.readline().decode("utf-8-sig", errors="replace").strip().split(",")
    return _REQUIRED <= set(head)


def _read(path: Path) -> pd.DataFrame:
    frame, kind = read_table(path)
    if kind != "xlsx":  # a CSV's cells were marked so a spreadsheet shows them as text
        frame = restored(frame)
    missing = sorted(_REQUIRED - set(frame.columns))
    if missing:
        raise InputError(Location(str(path)), f"not a review table: missing columns {missing} (see docs/news.md)")
    frame = frame.fillna("").astype(str)
    for column in COLUMNS:
        if column not in frame:
            frame[column] = ""
    decisions = frame["decision"].str.strip().str.lower()
    unknown = ~decisions.isin(list(DECISIONS))
    if unknown.any():
        idx = frame.index[unknown][0]
        raise InputError(Location(str(path), int(idx) + 2, "decision"),
                         f"unknown decision '{frame.at[idx, 'decision']}': expected accept, edit or reject (or empty)")
    frame["decision"] = decisions.map(DECISIONS)
    confidence = pd.to_numeric(frame["confidence"].where(frame["confidence"] != "", "1"), errors="coerce")
    bad = confidence.isna() | (confidence < 0) | (confidence > 1)
    accepted = frame["decision"] == "accept"
    if (bad & accepted).any():
        idx = frame.index[bad & accepted][0]
        raise InputError(Location(str(path), int(idx) + 2, "confidence"),
                         f"expected a confidence between 0 and 1, got '{frame.at[idx, 'confidence']}'")
    frame["confidence"] = confidence.map(lambda v: f"{v:.2f}" if v == v else "")
    return frame


def _edited(part: pd.DataFrame, column: str) -> pd.Series:
    """Rows whose ``subject`` (or ``object``) a curator changed: it differs from the
    first of the candidates the table was written with, so its link is stale.

    >>> t = pd.DataFrame({"subject": ["松江", "嘉兴"], "subject_candidates": ["松江 (0.80, clause)", "松江 (0.80, clause)"]})
    >>> _edited(t, "subject").tolist()
    [False, True]
    """
    first = part[f"{column}_candidates"].str.split(" | ", regex=False).str[0].fillna("")
    proposed = first.str.replace(r" \([^()]*\)$", "", regex=True).str.strip()
    return (proposed != "") & (part[column].str.strip() != proposed)


def _max_confidence(values: pd.Series) -> str:
    return f"{max(float(v) for v in values):.2f}"


def _one_row_per_entity(entities: pd.DataFrame) -> pd.DataFrame:
    """Accepted rows naming one entity (two names linked to the same id, or one name
    twice) become its first row, with every alias and the highest confidence: one
    statement, one confidence.

    >>> t = pd.DataFrame({"id": ["corridor/g60", "corridor/g60", ""], "name": ["长三角G60科创走廊"] * 2 + ["星海"],
    ...                   "aliases": ["", "G60科创走廊", ""], "confidence": ["0.90", "0.70", "0.80"]})
    >>> _one_row_per_entity(t)[["id", "aliases", "confidence"]].values.tolist()
    [['corridor/g60', 'G60科创走廊', '0.90'], ['', '', '0.80']]
    """
    if entities.empty:
        return entities
    key = entities["id"].where(entities["id"] != "", "name:" + entities["name"])
    groups = entities.groupby(key, sort=False)
    merged = entities.assign(
        confidence=groups["confidence"].transform(_max_confidence),
        aliases=groups["aliases"].transform(lambda a: "|".join(sorted({x for v in a for x in v.split("|") if x}))))
    return merged[~key.duplicated()]


def _one_row_per_statement(part: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Accepted rows stating the same fact (after linking) become the first of them,
    with the highest confidence."""
    if part.empty:
        return part
    groups = part.groupby(columns, sort=False)
    merged = part.assign(confidence=groups["confidence"].transform(_max_confidence))
    return merged[~part.duplicated(columns)]


def _mapping(path: Path, kind: str, fields: dict[str, str], properties: tuple = ()) -> Mapping:  # type: ignore[type-arg]
    return Mapping(path=path, table=None, kind=kind, fields=fields, defaults={"method": "extracted"},
                   properties=properties, ignore=frozenset())


def review_inputs(path: str | Path) -> list:  # type: ignore[type-arg]
    """The accepted rows of a review table as table inputs (entities, observations,
    relations) of its source; undecided and rejected rows are left out."""
    path = Path(path)
    frame = _read(path)
    source_rows = frame[frame["kind"] == "source"]
    if source_rows.empty:
        raise InputError(Location(str(path)), "no source row (kind 'source'): re-run g60kg extract or add one")
    src = source_rows.iloc[0]
    source_id = src["source"].strip()
    if not source_id:
        raise InputError(Location(str(path), int(source_rows.index[0]) + 2, "source"), "the source row has no source id")
    record = {"title": src["title"] or src["name"] or source_id, "publisher": src["publisher"], "date": src["date"],
              "url": src["url"], "language": "zh", "kind": "news"}
    accepted = frame[(frame["decision"] == "accept") & (frame["kind"] != "source")].copy()
    accepted["source"] = source_id
    entities = accepted[accepted["kind"] == "entity"].copy()
    linked = ~entities["link"].isin(["", "new"])
    entities["id"] = entities["link"].where(linked, "")
    entities["class"] = entities["link_class"].where(linked & (entities["link_class"] != ""), entities["type"])
    alias = entities["name"].where(linked & (entities["link_name"] != "") & (entities["name"] != entities["link_name"]), "")
    entities["aliases"] = (entities["aliases"] + "|" + alias).str.strip("|")
    entities["name"] = entities["link_name"].where(linked & (entities["link_name"] != ""), entities["name"])
    entities = _one_row_per_entity(entities)
    registry = pd.DataFrame([{"id": source_id, **record}])
    inputs = [TableInput(Mapping(path=path, table=None, kind="sources", fields={k: k for k in registry.columns},
                                 defaults={}, properties=()), registry, name=str(path))]
    if len(entities):
        inputs.append(TableInput(_mapping(path, "entities", {"id": "id", "class": "class", "name": "name",
                                                             "source": "source", "quote": "sentence",
                                                             "confidence": "confidence"},
                                          (ColumnMap("aliases", "skos:altLabel", "zh", "string", None, "|"),)),
                                 entities[["id", "class", "name", "aliases", "source", "sentence", "confidence"]],
                                 name=str(path)))
    for kind, columns in (("statistic", ("subject",)), ("relation", ("subject", "object"))):
        part = accepted[accepted["kind"] == kind].copy()
        for column in columns:
            link = part[f"{column}_link"]
            part[column] = link.where(~link.isin(["", "new"]) & ~_edited(part, column), part[column])
        if kind == "relation":
            part = _one_row_per_statement(part, ["subject", "predicate", "object"])
        if kind == "statistic":
            fields = {"subject": "subject", "indicator": "indicator", "value": "value", "unit": "unit",
                      "qualifier": "qualifier", "source": "source", "quote": "sentence", "confidence": "confidence"}
            props = (ColumnMap("time", "g60:refTime", "zh"),)
            keep = ["subject", "indicator", "value", "unit", "qualifier", "time", "source", "sentence", "confidence"]
            if len(part):
                inputs.append(TableInput(_mapping(path, "observations", fields, props), part[keep], name=str(path)))
        else:
            fields = {"subject": "subject", "predicate": "predicate", "object": "object", "source": "source",
                      "quote": "sentence", "confidence": "confidence"}
            props = (ColumnMap("role", "g60:role", "zh"),)
            keep = ["subject", "predicate", "object", "role", "source", "sentence", "confidence"]
            if len(part):
                inputs.append(TableInput(_mapping(path, "relations", fields, props), part[keep], name=str(path)))
    return inputs
