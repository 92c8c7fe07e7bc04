"""Annotated articles: an article file with its header, and hand-made gold rows
(entities, statistics, relations) in the layout of the project's news gold, grouped by
article and split. The training script of the mention model and the extraction
benchmark read them; nothing in extraction does.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from g60kg.errors import InputError, Location

__all__ = ["Annotated", "article_body", "load_corpus", "load_seed"]

_HEADER_KEYS = ("URL:", "TITLE:", "PUBLISHER:", "DATE:")


@dataclass
class Annotated:
    """One article: its name, split, body text and gold rows."""

    name: str
    split: str
    text: str
    entities: list[dict[str, str]] = field(default_factory=list)
    statistics: list[dict[str, str]] = field(default_factory=list)
    relations: list[dict[str, str]] = field(default_factory=list)


def article_body(text: str) -> str:
    """The body of an article file: without a ``URL:/TITLE:/PUBLISHER:/DATE:`` header
    and the empty line after it, when the file has one.

    >>> article_body("URL: http://x\\nTITLE: t\\nPUBLISHER: p\\nDATE: 2020\\n\\n正文。")
    '正文。'
    >>> article_body("正文。")
    '正文。'
    """
    lines = text.split("\n")
    if len(lines) > 4 and all(lines[i].startswith(key) for i, key in enumerate(_HEADER_KEYS)):
        return "\n".join(lines[5:] if len(lines) > 5 and not lines[4].strip() else lines[4:])
    return text


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise InputError(Location(str(path)), "gold table not found")
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_corpus(gold_dir: str | Path, text_dir: str | Path, *, splits: tuple[str, ...] = ("dev", "test")) -> list[Annotated]:
    """The annotated articles of the given splits: ``gold_dir`` holds ``split.csv``,
    ``entities.csv``, ``statistics.csv`` and ``relations.csv`` (first column
    ``article``), ``text_dir`` the ``ARTICLE.txt`` files.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "split.csv").write_text("article,split\\na1,dev\\na2,test\\n", encoding="utf-8")
    >>> for n in ("entities", "statistics", "relations"):
    ...     _ = (d / f"{n}.csv").write_text("article,mention\\na1,松江\\n", encoding="utf-8")
    >>> _ = (d / "a1.txt").write_text("松江。", encoding="utf-8")
    >>> [(a.name, a.text, len(a.entities)) for a in load_corpus(d, d, splits=("dev",))]
    [('a1', '松江。', 1)]
    """
    gold_dir, text_dir = Path(gold_dir), Path(text_dir)
    out = []
    tables = {n: _rows(gold_dir / f"{n}.csv") for n in ("entities", "statistics", "relations")}
    for row in _rows(gold_dir / "split.csv"):
        if row["split"] not in splits:
            continue
        name = row["article"]
        path = text_dir / f"{name}.txt"
        if not path.exists():
            raise InputError(Location(str(path)), f"article {name} of {gold_dir / 'split.csv'} not found")
        item = Annotated(name, row["split"], article_body(path.read_text(encoding="utf-8")))
        for kind, rows in tables.items():
            setattr(item, kind, [r for r in rows if r.get("article") == name])
        out.append(item)
    return out


def load_seed(text_path: str | Path, gold_dir: str | Path) -> Annotated:
    """The seed article and its gold (``gold_entities.csv`` … without an article column).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for n in ("entities", "statistics", "relations"):
    ...     _ = (d / f"gold_{n}.csv").write_text("mention\\n松江\\n", encoding="utf-8")
    >>> _ = (d / "seed.txt").write_text("松江。", encoding="utf-8")
    >>> s = load_seed(d / "seed.txt", d); (s.name, s.split, s.entities)
    ('seed', 'seed', [{'mention': '松江'}])
    """
    gold_dir = Path(gold_dir)
    item = Annotated("seed", "seed", Path(text_path).read_text(encoding="utf-8"))
    for kind in ("entities", "statistics", "relations"):
        setattr(item, kind, _rows(gold_dir / f"gold_{kind}.csv"))
    return item
