"""The review table out: an article's candidates as CSV and XLSX, one row per
candidate, for a curator to decide on (``g60kg.loaders.review`` reads the decisions
back). See ``docs/news.md`` for the columns and the workflow.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from g60kg.errors import InputError, Location
from g60kg.loaders.review import COLUMNS
from g60kg.text.spreadsheet import neutralized, text_cells

__all__ = ["SourceInfo", "review_table", "write_review", "extract_review", "read_article"]

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
                     "notes": "; ".join(n for n in (f"a range up to {q.upper}" if q.upper is not None else "",
                                                    f"repeated {st.repeats} more time(s) in the section"
                                                    if st.repeats else "") if n),
                     **located(q.start, q.end, st.sentence)})
    for i, r in enumerate(extraction.relations, 1):
        rows.append({"row": f"R{i:03d}", "kind": "relation", "decision": "", "confidence": r.confidence,
                     "subject": r.subject, "subject_link": link_of(r.subject),
                     "subject_candidates": _candidates(r.subjects), "predicate": r.predicate, "object": r.object,
                     "object_link": link_of(r.object),
                     "object_candidates": _candidates(r.object_candidates) or f"{r.object} (1.00, named)",
                     "role": r.role, "rule": "explicit" if r.explicit else "implicit",
                     **located(r.start, r.end, r.sentence)})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("start", "end", "sentence_start", "sentence_end"):
        frame[column] = frame[column].map(lambda v: "" if pd.isna(v) else str(int(v)))
    return frame.astype(object).fillna("")  # a float column with gaps takes text without a dtype warning


def write_review(frame: pd.DataFrame, directory: Path, stem: str) -> tuple[Path, Path]:
    """Write ``STEM.review.csv`` (UTF-8 with BOM, so Excel reads it) and ``STEM.review.xlsx``,
    neither with a live formula: a CSV cell that starts like one is marked as text
    (``g60kg.text.spreadsheet``), an XLSX cell is typed as text; reading either back
    gives the same cells."""
    directory.mkdir(parents=True, exist_ok=True)
    csv_path, xlsx_path = directory / f"{stem}.review.csv", directory / f"{stem}.review.xlsx"
    neutralized(frame).to_csv(csv_path, index=False, encoding="utf-8-sig")
    with pd.ExcelWriter(xlsx_path, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="review", index=False)
        sheet = writer.sheets["review"]
        text_cells(sheet)
        sheet.freeze_panes = "D2"
        for column, width in (("A", 8), ("B", 10), ("C", 10), ("E", 24), ("W", 60)):
            sheet.column_dimensions[column].width = width
    return csv_path, xlsx_path


def read_article(path: Path) -> str:
    """An article's text: UTF-8 (with or without BOM), GBK/GB18030 or Big5
    (``g60kg.news.decoding``); an empty file, or one with only markup, is an error.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"; _ = p.write_bytes("鬆江區".encode("big5"))
    >>> read_article(p)
    '鬆江區'
    """
    from g60kg.news.decoding import decode_article
    from g60kg.news.text import clean_article

    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(Location(str(path)), f"cannot read the article: {exc.strerror or exc}") from exc
    text = decode_article(raw, path)
    if not clean_article(text).sentences:
        raise InputError(Location(str(path)), "the article is empty: no text to extract from")
    return text


def extract_review(article: str | Path, out_dir: str | Path | None = None, *, title: str = "", publisher: str = "",
                   date: str = "", url: str = "", link: str | None = "bundled", tagger: str = "auto") -> tuple[Path, Path, int]:
    """Extract candidates from an article file and write ``NAME.review.csv`` and
    ``NAME.review.xlsx`` into ``out_dir`` (default: beside the article). Returns both
    paths and the number of candidate rows."""
    from g60kg.text.normalize import parse_date
    from g60kg.news.extraction import extract

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
