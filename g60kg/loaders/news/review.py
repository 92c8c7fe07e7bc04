"""The review table: candidates out (CSV and XLSX, one row per candidate), a curator's
decisions in, and the accepted rows as the same typed tables the table loader reads —
so they are built with provenance like any other source (its own named graph, a
``g60:Source``, statements with the quote, ``g60:method "extracted"`` and the confidence).
See ``docs/news.md`` for the columns and the workflow.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from g60kg.errors import InputError, Location
from g60kg.loaders.mapping import Mapping

__all__ = ["COLUMNS", "SourceInfo", "review_table", "write_review", "is_review_table", "review_inputs", "DECISIONS",
           "extract_review", "read_article"]

COLUMNS = ["row", "kind", "decision", "confidence", "name", "type", "link", "link_name", "link_class", "aliases",
           "subject", "subject_link", "subject_candidates", "predicate", "object", "object_link", "object_candidates",
           "role", "indicator", "value", "unit", "qualifier", "time", "mention", "start", "end", "sentence",
           "sentence_start", "sentence_end", "rule", "source", "title", "publisher", "date", "url", "notes"]
DECISIONS = {"accept": "accept", "accepted": "accept", "a": "accept", "yes": "accept", "y": "accept", "ok": "accept",
             "接受": "accept", "通过": "accept", "edit": "accept", "edited": "accept", "e": "accept", "修改": "accept",
             "reject": "reject", "rejected": "reject", "r": "reject", "no": "reject", "n": "reject", "拒绝": "reject",
             "": ""}
_REQUIRED = {"row", "kind", "decision", "name", "subject", "predicate", "object", "value", "unit", "sentence", "source"}


@dataclass(frozen=True)
class SourceInfo:
    """The article as a source: its id and what ``extract`` was told about it."""

    id: str
    title: str = ""
    publisher: str = ""
    date: str = ""
    url: str = ""

    @classmethod
    def for_text(cls, text: str, *, title: str = "", publisher: str = "", date: str = "", url: str = "",
                 fallback_title: str = "") -> SourceInfo:
        """A stable id from the URL, or from the text when there is none."""
        digest = hashlib.sha1((url or text).encode("utf-8")).hexdigest()[:12]
        return cls(f"news-{digest}", title or fallback_title or f"news article {digest}", publisher, date, url)


def _candidates(cands: list) -> str:  # type: ignore[type-arg]
    return " | ".join(f"{c.name} ({c.score:.2f}, {c.why})" for c in cands)


def review_table(extraction, source: SourceInfo) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The review table of an extraction: a source row, then entities, statistics and
    relations, each with its sentence, offsets into the original text and a confidence."""
    article = extraction.article
    rows: list[dict[str, object]] = [{"row": "source", "kind": "source", "decision": "accept", "name": source.title,
                                      "title": source.title, "publisher": source.publisher, "date": source.date,
                                      "url": source.url, "source": source.id, "confidence": 1.0}]

    def located(start: int, end: int, sentence: int) -> dict[str, object]:
        s = article.sentences[sentence]
        o_start, o_end = article.original_span(start, end)
        s_start, s_end = article.original_span(s.start, s.end)
        return {"mention": article.source_words(start, end), "start": o_start, "end": o_end,
                "sentence": article.source_words(s.start, s.end), "sentence_start": s_start, "sentence_end": s_end,
                "source": source.id}

    def link_of(name: str) -> str:
        found = extraction.links.get(name)
        return found.id if found else "new"

    for i, e in enumerate(extraction.entities, 1):
        first = e.mentions[0]
        rows.append({"row": f"E{i:03d}", "kind": "entity", "decision": "", "confidence": e.confidence, "name": e.name,
                     "type": e.cls, "link": e.link.id if e.link else "new", "link_name": e.link.name if e.link else "",
                     "link_class": e.link.cls if e.link else "", "aliases": "|".join(e.aliases), "rule": first.rule,
                     "notes": f"{len(e.mentions)} mention(s)", **located(first.start, first.end, first.sentence)})
    for i, st in enumerate(extraction.statistics, 1):
        q = st.quantity
        subject = st.subjects[0].name if st.subjects else ""
        rows.append({"row": f"S{i:03d}", "kind": "statistic", "decision": "", "confidence": round(st.confidence, 2),
                     "subject": subject, "subject_link": link_of(subject) if subject else "",
                     "subject_candidates": _candidates(st.subjects), "indicator": st.indicator,
                     "value": format(q.value.normalize(), "f") if q.value == q.value.to_integral_value() else str(q.value),
                     "unit": q.unit, "qualifier": q.qualifier, "time": st.time, "rule": q.kind,
                     "notes": f"repeated {st.repeats} more time(s) in the section" if st.repeats else "",
                     **located(q.start, q.end, st.sentence)})
    for i, r in enumerate(extraction.relations, 1):
        rows.append({"row": f"R{i:03d}", "kind": "relation", "decision": "", "confidence": r.confidence,
                     "subject": r.subject, "subject_link": link_of(r.subject),
                     "subject_candidates": _candidates(r.subjects), "predicate": r.predicate, "object": r.object,
                     "object_link": link_of(r.object), "object_candidates": _candidates(r.object_candidates),
                     "role": r.role, "rule": "explicit" if r.explicit else "implicit",
                     **located(r.start, r.end, r.sentence)})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("start", "end", "sentence_start", "sentence_end"):
        frame[column] = frame[column].map(lambda v: "" if pd.isna(v) else str(int(v)))
    return frame.fillna("")


def write_review(frame: pd.DataFrame, directory: Path, stem: str) -> tuple[Path, Path]:
    """Write ``STEM.review.csv`` (UTF-8 with BOM, so Excel reads it) and ``STEM.review.xlsx``."""
    directory.mkdir(parents=True, exist_ok=True)
    csv_path, xlsx_path = directory / f"{stem}.review.csv", directory / f"{stem}.review.xlsx"
    frame.to_csv(csv_path, index=False, encoding="utf-8-sig")
    with pd.ExcelWriter(xlsx_path, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="review", index=False)
        sheet = writer.sheets["review"]
        sheet.freeze_panes = "D2"
        for column, width in (("A", 8), ("B", 10), ("C", 10), ("E", 24), ("W", 60)):
            sheet.column_dimensions[column].width = width
    return csv_path, xlsx_path


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
    from g60kg.loaders.tables import read_table

    frame, _ = read_table(path)
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


def _mapping(path: Path, kind: str, fields: dict[str, str], properties: tuple = ()) -> Mapping:  # type: ignore[type-arg]
    return Mapping(path=path, table=None, kind=kind, fields=fields, defaults={"method": "extracted"},
                   properties=properties, ignore=frozenset())


def review_inputs(path: str | Path) -> list:  # type: ignore[type-arg]
    """The accepted rows of a review table as table inputs (entities, observations,
    relations) of its source; undecided and rejected rows are left out."""
    from g60kg.loaders.assemble import TableInput
    from g60kg.loaders.mapping import ColumnMap

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
            part[column] = link.where(~link.isin(["", "new"]), part[column])
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


def read_article(path: Path) -> str:
    """An article's text: UTF-8 (with or without BOM) or GBK/GB18030."""
    raw = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(Location(str(path)), "cannot decode the article as UTF-8 or GBK/GB18030 text")


def extract_review(article: str | Path, out_dir: str | Path | None = None, *, title: str = "", publisher: str = "",
                   date: str = "", url: str = "", link: str | None = "bundled", tagger: str = "auto") -> tuple[Path, Path, int]:
    """Extract candidates from an article file and write ``NAME.review.csv`` and
    ``NAME.review.xlsx`` into ``out_dir`` (default: beside the article). Returns both
    paths and the number of candidate rows."""
    from g60kg.loaders.normalize import parse_date
    from g60kg.loaders.news.extraction import extract

    path = Path(article)
    if date:
        try:
            parse_date(date)
        except ValueError as exc:
            raise InputError(Location("--date"), str(exc)) from exc
    if url and not url.startswith(("http://", "https://")):
        raise InputError(Location("--source-url"), f"expected an http(s) URL, got '{url}'")
    text = read_article(path)
    extraction = extract(text, link=None if link in (None, "none") else link, tagger=tagger)
    source = SourceInfo.for_text(text, title=title, publisher=publisher, date=date, url=url,
                                 fallback_title=path.stem)
    frame = review_table(extraction, source)
    directory = Path(out_dir) if out_dir else path.parent
    csv_path, xlsx_path = write_review(frame, directory, path.stem)
    return csv_path, xlsx_path, len(frame) - 1
