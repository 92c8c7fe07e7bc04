"""Names learned from annotated articles: a linear-chain CRF (python-crfsuite) that tags
each character of a sentence as the beginning (B), inside (I) or outside (O) of a name,
over features of the character, its neighbours, the tagger's word and tag, the name
suffixes of the ontology's classes and the place gazetteer.

The model ships in the package (``models/mentions.crfsuite``); ``scripts/
train_news_model.py`` rebuilds it from the project's annotations. Nothing is downloaded.
"""

from __future__ import annotations

import functools
from pathlib import Path
from g60kg.errors import G60Error
import re

from g60kg.news.gazetteer import CORRIDOR_PATTERN, PLACE_PATTERN, SUFFIX_PATTERN
from g60kg.news.tagger import Token

__all__ = ["MODEL", "char_features", "bio_labels", "find_names"]

MODEL = Path(__file__).resolve().parent / "models" / "mentions.crfsuite"
_PLACES = re.compile(PLACE_PATTERN)


def _kind(char: str) -> str:
    if "\u4e00" <= char <= "\u9fff":
        return "h"
    if char.isdigit():
        return "d"
    if char.isascii() and char.isalpha():
        return "l"
    return "p"


def _marks(text: str, pattern: re.Pattern[str], label: str, into: list[list[str]]) -> None:
    for m in pattern.finditer(text):
        for i in range(m.start(), m.end()):
            into[i].append(f"{label}={'B' if i == m.start() else 'E' if i == m.end() - 1 else 'I'}")
        if m.end() - 1 < len(text):
            into[m.end() - 1].append(f"{label}:{m[0][-2:]}")


def char_features(text: str, tokens: list[Token], base: int = 0) -> list[list[str]]:
    """Features of each character of a sentence (``tokens`` from ``g60kg.news.tagger.tag``
    with offsets shifted by ``base``).

    >>> from g60kg.news.tagger import tag
    >>> f = char_features("星海研究院", tag("星海研究院"))
    >>> "c=院" in f[-1] and any(x.startswith("sfx=") for x in f[-1])
    True
    """
    extra: list[list[str]] = [[] for _ in text]
    _marks(text, SUFFIX_PATTERN, "sfx", extra)
    _marks(text, _PLACES, "place", extra)
    _marks(text, CORRIDOR_PATTERN, "corr", extra)
    word_of: list[tuple[str, str, str]] = [("", "", "S")] * len(text)
    for tok in tokens:
        a, b = tok.start - base, tok.end - base
        for i in range(max(a, 0), min(b, len(text))):
            pos = "S" if b - a == 1 else "B" if i == a else "E" if i == b - 1 else "I"
            word_of[i] = (tok.text if len(tok.text) <= 4 else "", tok.tag, pos)
    padded = "^^" + text + "$$"
    out = []
    for i, char in enumerate(text):
        p = i + 2
        word, tag, pos = word_of[i]
        feats = [
            "bias", f"c={char}", f"c-1={padded[p - 1]}", f"c+1={padded[p + 1]}", f"c-2={padded[p - 2]}",
            f"c+2={padded[p + 2]}", f"b-1={padded[p - 1:p + 1]}", f"b+1={padded[p:p + 2]}", f"k={_kind(char)}",
            f"k-1={_kind(padded[p - 1])}", f"k+1={_kind(padded[p + 1])}", f"t={tag}", f"tp={tag}{pos}", f"p={pos}",
            f"w={word}", f"t-1={word_of[i - 1][1] if i else '^'}",
            f"t+1={word_of[i + 1][1] if i + 1 < len(text) else '$'}",
        ]
        out.append(feats + extra[i])
    return out


def bio_labels(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """B/I/O of each character for non-overlapping name spans.

    >>> bio_labels("在松江区", [(1, 4)])
    ['O', 'B', 'I', 'I']
    """
    labels = ["O"] * len(text)
    for a, b in spans:
        labels[a] = "B"
        for i in range(a + 1, b):
            labels[i] = "I"
    return labels


@functools.lru_cache(maxsize=4)
def _tagger(path: str):  # type: ignore[no-untyped-def]
    try:
        import pycrfsuite
    except ImportError as exc:
        raise G60Error("the learned name model needs python-crfsuite: pip install 'g60kg[text]'") from exc
    if not Path(path).exists():
        raise G60Error(f"no name model at {path}: run scripts/train_news_model.py")
    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    return tagger


def find_names(text: str, tokens: list[Token], base: int = 0, *, model: str | Path = MODEL) -> list[tuple[int, int, float]]:
    """Name spans of one sentence as (start, end, marginal probability of the span's
    first character), offsets local to ``text``.

    >>> from g60kg.news.tagger import tag
    >>> s = "星海科技有限公司落户松江区。"
    >>> [(s[a:b]) for a, b, _ in find_names(s, tag(s))]
    ['星海科技有限公司', '松江区']
    """
    if not text:
        return []
    tagger = _tagger(str(model))
    labels = tagger.tag(char_features(text, tokens, base))
    out: list[tuple[int, int, float]] = []
    start = None
    for i, label in enumerate(labels + ["O"]):
        if start is not None and label != "I":
            out.append((start, i, tagger.marginal("B", start)))
            start = None
        if label == "B" or (label == "I" and start is None):
            start = i
    return out


def training_sequences(text: str, names: list[str]) -> list[tuple[list[list[str]], list[str]]]:
    """Features and labels of each sentence of an article (raw text, cleaned as
    extraction cleans it) in which the given names (exact mention texts) are marked,
    longest first, every occurrence.

    >>> seqs = training_sequences("星海研究院落户松江。", ["星海研究院", "松江"])
    >>> seqs[0][1]
    ['B', 'I', 'I', 'I', 'I', 'O', 'O', 'B', 'I', 'O']
    """
    from g60kg.news.tagger import tag
    from g60kg.news.text import clean_article
    from g60kg.text.normalize import clean_texts

    article = clean_article(text)
    wanted = sorted({n for n in clean_texts(names) if n}, key=len, reverse=True)
    out = []
    for sentence in article.sentences:
        taken: list[tuple[int, int]] = []
        for name in wanted:
            for m in re.finditer(re.escape(name), sentence.text):
                if not any(m.start() < e and s < m.end() for s, e in taken):
                    taken.append((m.start(), m.end()))
        tokens = tag(sentence.text, sentence.start)
        out.append((char_features(sentence.text, tokens, sentence.start), bio_labels(sentence.text, sorted(taken))))
    return out


def train(sequences: list[tuple[list[list[str]], list[str]]], path: str | Path, *, c1: float = 0.05,
          c2: float = 0.2, iterations: int = 200) -> Path:
    """Train the name model on (features, labels) sequences and write it to ``path``
    (L-BFGS with L1 ``c1`` and L2 ``c2`` penalties, chosen by leaving dev articles out;
    deterministic).

    >>> import tempfile, pathlib
    >>> p = train(training_sequences("星海研究院落户松江。", ["星海研究院", "松江"]),
    ...           pathlib.Path(tempfile.mkdtemp()) / "m.crfsuite", iterations=20)
    >>> p.stat().st_size > 0
    True
    """
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for features, labels in sequences:
        trainer.append(features, labels)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))
    _tagger.cache_clear()
    return path
