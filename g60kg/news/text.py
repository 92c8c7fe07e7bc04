"""An article's text made readable for extraction, with every character traced back to
the original: page furniture dropped, words broken across a page joined, full-width
forms folded, traditional characters simplified, sentences split.

Extraction works on the clean text; offsets it reports are mapped back through
``Article.original_span``, so they always point into the text as given.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from g60kg.text.normalize import to_simplified

__all__ = ["Article", "Sentence", "clean_article", "FURNITURE"]

# Lines that belong to the page, not the story: continuation markers, captions, bylines.
FURNITURE = re.compile(
    r"^\s*(?:[◀▶◆■□●○►◄▲▼☆★※\-—]+\s*)?(?:[(（]?\s*(?:上接|下转|接上|转下|续)\s*第?\s*[\d一二三四五六七八九十]+\s*(?:版|页)\s*[)）]?"
    r"|(?:图为|图片|图:|图：|摄影|摄/|本报记者|记者|通讯员|责任编辑|编辑|校对|审核|来源)[:：\s].{0,60}"
    r"|(?:图为).{0,80}|[(（]\s*(?:摄影|图|记者|通讯员)[^)）]{0,30}[)）])\s*$"
)
# Inline markers inside a line, e.g. "……（下转第三版）", and photo credits; a byline
# "（记者 X）" stays, since it names the reporter.
_INLINE_FURNITURE = re.compile(r"[(（]\s*(?:上接|下转|接上|转下)\s*第?\s*[\d一二三四五六七八九十]+\s*(?:版|页)\s*[)）]|"
                               r"[(（]\s*(?:摄影|摄|图)[^)）]{0,20}[)）]")
_END = set("。！？!?；;…:：")
# Markup: comments, script/style blocks, tags (block tags end a line), character references.
_HTML = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]*>|&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);",
                   re.S | re.I)
_BLOCK_TAGS = {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table", "ul",
               "ol", "blockquote", "title", "header", "footer"}
_CLOSERS = set("”’」』)）】》\"'")
_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』\"']?")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the clean text: its span, paragraph and section (a run of
    paragraphs between page markers or headings)."""

    start: int
    end: int
    text: str
    paragraph: int
    section: int
    heading: bool = False


@dataclass
class Article:
    """The original text, the clean text, and for each clean character the index of
    the original character it came from."""

    original: str
    text: str
    offsets: list[int]
    sentences: list[Sentence] = field(default_factory=list)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that clean ``[start, end)`` came from.

        >>> a = clean_article("好。國产\\n\\n化替代")
        >>> a.text, a.original_span(2, 7)
        ('好。国产化替代', (2, 9))
        """
        if end <= start:
            point = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return point, point
        return self.offsets[start], self.offsets[end - 1] + 1

    def source_words(self, start: int, end: int) -> str:
        """The original characters behind clean ``[start, end)``, in order, without the
        page breaks and furniture cleaning removed (the exact words of the source).

        >>> a = clean_article("好。半年內为商飞实现國產\\n\\n化替代新增30%。")
        >>> i = a.text.index("国产"); a.text[i:i + 5], a.source_words(i, i + 5)
        ('国产化替代', '國產化替代')
        """
        seen: list[int] = []
        for index in self.offsets[start:end]:
            if not seen or seen[-1] != index:
                seen.append(index)
        return "".join(self.original[i] for i in seen)


def _lines(text: str) -> list[tuple[int, str]]:
    """Lines with the offset of their first character."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _is_heading(line: str) -> bool:
    """A short line with no sentence punctuation: a headline or a section title."""
    body = line.strip()
    return 0 < len(body) <= 40 and body[-1] not in _END | _CLOSERS and not any(c in body for c in "。！？!?；;")


def _joins(previous: str, following: str) -> bool:
    """Whether a line break between two lines is a page break inside a sentence."""
    prev, nxt = previous.rstrip(), following.lstrip()
    if not prev or not nxt or prev[-1] in _END or FURNITURE.match(following):
        return False
    if prev[-1] in _CLOSERS and prev[-2:-1] and prev[-2] in _END:
        return False
    return (len(prev) >= 40 or any(c in prev for c in "。！？!?；;") or prev.count(",") + prev.count("，") >= 2
            or nxt[0].isdigit())


def _fold(chars: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """NFKC (full-width to half-width) character by character, keeping the origin."""
    out = []
    for char, origin in chars:
        folded = unicodedata.normalize("NFKC", char) if ord(char) > 127 else char
        if char in "“”‘’—…·":  # NFKC keeps these, but guard against future tables
            folded = char
        for piece in folded or char:
            out.append((piece, origin))
    return out


def _simplify(chars: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Traditional to simplified; whole text when the length is kept, else per character."""
    text = "".join(c for c, _ in chars)
    converted = to_simplified(text)
    if converted == text:
        return chars
    if len(converted) == len(text):
        return [(new, origin) for new, (_, origin) in zip(converted, chars)]
    return [(to_simplified(c)[:1] or c, origin) for c, origin in chars]


def _strip_html(original: str) -> tuple[str, list[int]]:
    """Text without markup, and for each character its offset in ``original``.

    >>> text, where = _strip_html("<p>松江&amp;嘉兴</p><!-- ad --><br/>完")
    >>> text, where
    ('\\n松江&嘉兴\\n\\n完', [0, 3, 4, 5, 10, 11, 12, 27, 32])
    """
    import html

    out: list[str] = []
    where: list[int] = []
    pos = 0
    for m in _HTML.finditer(original):
        out.extend(original[pos:m.start()])
        where.extend(range(pos, m.start()))
        if m[4]:
            replacement = html.unescape(m[0])
        elif m[3] and m[3].lower() in _BLOCK_TAGS:
            replacement = "\n"
        else:
            replacement = ""
        out.extend(replacement)
        where.extend([m.start()] * len(replacement))
        pos = m.end()
    out.extend(original[pos:])
    where.extend(range(pos, len(original)))
    return "".join(out), where


def clean_article(original: str) -> Article:
    """Clean an article and split it into sentences, keeping offsets into ``original``.

    >>> a = clean_article("◀ 上接第一版\\n\\n標題\\n\\n半年内为商飞实现国产化替代的比例，"
    ...                   "在多家企业合作下提高到了三成以上。实现国产\\n\\n化替代新增30%。")
    >>> a.text.splitlines()[1]
    '半年内为商飞实现国产化替代的比例,在多家企业合作下提高到了三成以上。实现国产化替代新增30%。'
    >>> start = a.text.index("国产化替代新增"); a.original[slice(*a.original_span(start, start + 5))]
    '国产\\n\\n化替代'
    """
    original = original.replace("\r\n", "\n").replace("\r", "\n")
    if _HTML.search(original):
        text, where = _strip_html(original)
        article = clean_article(text)
        article.original, article.offsets = original, [where[o] for o in article.offsets]
        return article
    kept: list[tuple[int, str]] = []  # (offset, line) of the lines of the story
    for offset, line in _lines(original):
        if FURNITURE.match(line):
            kept.append((offset, ""))
            continue
        for match in reversed(list(_INLINE_FURNITURE.finditer(line))):
            line = line[: match.start()] + " " * (match.end() - match.start()) + line[match.end():]
        kept.append((offset, line))
    chars: list[tuple[str, int]] = []
    previous: str | None = None
    marker = False  # a furniture line since the last line of the story
    new_sections: set[int] = set()  # paragraphs that open a new section
    paragraphs = 0
    for offset, line in kept:
        if line == "" and FURNITURE.match(original[offset:].split("\n", 1)[0] or "x"):
            marker = True
        body = line.strip()
        if not body:
            continue
        lead = len(line) - len(line.lstrip())
        if chars and (marker or previous is None or not _joins(previous, body)):
            chars.append(("\n", offset - 1))
            paragraphs += 1
        if marker:
            new_sections.add(paragraphs)
        for i, char in enumerate(line.rstrip()[lead:]):
            chars.append((char, offset + lead + i))
        previous, marker = body, False
    chars = _simplify(_fold(chars))
    text = "".join(c for c, _ in chars)
    article = Article(original, text, [o for _, o in chars])
    article.sentences = _sentences(text, new_sections)
    return article


def _sentences(text: str, new_sections: set[int]) -> list[Sentence]:
    out: list[Sentence] = []
    section = 0
    pos = 0
    for number, para in enumerate(text.split("\n")):
        heading = _is_heading(para)
        if number and (number in new_sections or (heading and out and not out[-1].heading)):
            section += 1
        start = 0
        for match in _SENTENCE_END.finditer(para):
            _add(out, para, pos, start, match.end(), number, section, heading)
            start = match.end()
        _add(out, para, pos, start, len(para), number, section, heading)
        pos += len(para) + 1
    return out


def _add(out: list[Sentence], para: str, base: int, start: int, end: int, number: int, section: int, heading: bool) -> None:
    while start < end and para[start] == " ":
        start += 1
    if start < end:
        out.append(Sentence(base + start, base + end, para[start:end], number, section, heading))
