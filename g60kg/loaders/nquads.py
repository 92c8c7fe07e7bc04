"""N-Quads terms written column-wise with pandas, for bulk loading.

Loaders describe facts as DataFrames of four formatted terms (``s p o g``); this module
formats whole columns at once, so a table of 100,000 rows costs a few vectorized string
operations rather than 100,000 calls.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from typing import Callable, Iterable

import pandas as pd

from g60kg.errors import BuildError
from g60kg.text.normalize import each_joined

__all__ = ["XSD", "IRI_TEXT", "LANGUAGE_TAG", "iri", "escape", "escape_text", "literal", "quads", "statement_iris",
           "write_quads", "SubjectGraphs"]

XSD = "http://www.w3.org/2001/XMLSchema#"
QUAD_COLUMNS = ["s", "p", "o", "g"]
SLICE = 25_000  # rows per chunk sent to a sink: two lines each, about what a store bulk-loads best
# What may stand between < and > (N-Quads IRIREF, without escapes), and a language tag
# (BCP 47's form: letters, then letters and digits, joined by '-').
IRI_TEXT = r'[^\x00-\x20<>"{}|^`\\]+'
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")


def iri(values: pd.Series | str) -> pd.Series | str:
    """IRIs in N-Quads syntax.

    >>> iri("https://w3id.org/g60kg/id/place/songjiang")
    '<https://w3id.org/g60kg/id/place/songjiang>'
    """
    return "<" + values + ">"


_ESCAPES = (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"))


def escape_text(text: str) -> str:
    """A text escaped for an N-Quads string literal.

    >>> escape_text('say "hi"')
    'say \\\\"hi\\\\"'
    """
    for old, new in _ESCAPES:
        text = text.replace(old, new)
    return text


def escape(values: pd.Series) -> pd.Series:
    """``escape_text`` of a column, in one go (``g60kg.text.normalize.each_joined``).

    >>> escape(pd.Series(['say "hi"', "a\\\\b\\n", "x\\x00y"])).tolist()
    ['say \\\\"hi\\\\"', 'a\\\\\\\\b\\\\n', 'x\\x00y']
    """
    return pd.Series(each_joined(values.astype(str).tolist(), escape_text), index=values.index, dtype=object)


def literal(values: pd.Series, *, lang: str | None = None, datatype: str | pd.Series | None = None) -> pd.Series:
    """Literals in N-Quads syntax, with a language tag or a datatype (a full IRI or an
    XSD local name such as ``"date"``), per value or for the whole column.

    >>> literal(pd.Series(['say "hi"']), lang="en").tolist()
    ['"say \\\\"hi\\\\""@en']
    >>> literal(pd.Series(["2018"]), datatype="gYear").tolist()
    ['"2018"^^<http://www.w3.org/2001/XMLSchema#gYear>']
    """
    text = '"' + escape(values) + '"'
    if lang:
        return text + "@" + lang
    if datatype is None:
        return text
    if isinstance(datatype, str):
        full = datatype if ":" in datatype else XSD + datatype
        return text + "^^<" + full + ">"
    full = datatype.where(datatype.str.contains(":", regex=False), XSD + datatype)
    return text + "^^<" + full + ">"


def quads(s: pd.Series | str, p: pd.Series | str, o: pd.Series | str, g: pd.Series | str, index: pd.Index) -> pd.DataFrame:
    """A frame of quads over ``index``; scalars are broadcast.

    >>> quads("<a>", "<b>", pd.Series(['"c"']), "<g>", pd.RangeIndex(1)).iloc[0].tolist()
    ['<a>', '<b>', '"c"', '<g>']
    """
    frame = pd.DataFrame(index=index)
    for name, value in zip(QUAD_COLUMNS, (s, p, o, g)):
        frame[name] = value
    return frame[QUAD_COLUMNS]


def statement_iris(base: str, frame: pd.DataFrame) -> pd.Series:
    """Deterministic IRIs for statement nodes: a hash of the graph and the triple.

    >>> f = quads("<a>", "<b>", pd.Series(['"c"']), "<g>", pd.RangeIndex(1))
    >>> statement_iris("https://w3id.org/g60kg/id/statement/", f).iloc[0][:45]
    '<https://w3id.org/g60kg/id/statement/9814fdbc'
    """
    joined = frame["g"] + " " + frame["s"] + " " + frame["p"] + " " + frame["o"]
    digests = [hashlib.sha1(text.encode("utf-8")).hexdigest()[:20] for text in joined.tolist()]
    return "<" + base + pd.Series(digests, index=frame.index, dtype=object) + ">"


class SubjectGraphs:
    """The named graphs that written quads put their subjects in, kept to find the
    subjects with quads in more than one graph (``shared``, in N-Quads syntax): only a
    triple of such a subject can be stated by two sources (``g60kg.build.sharing``). It
    keeps the hashes of each graph's subjects, not the subjects: a hash that two subjects
    share only makes one of them shared when it is not, which the sharing step then
    finds out.

    >>> seen = SubjectGraphs()
    >>> seen.note(["<a>", "<b>"], ["<g1>", "<g1>"]); seen.note(["<a>", "<c>"], ["<g2>", "<g2>"])
    >>> sorted(seen.shared)
    ['<a>']
    """

    def __init__(self) -> None:
        self._hashes: dict[str, set[int]] = {}
        self.shared: set[str] = set()

    def note(self, subjects: Iterable[str], graphs: Iterable[str]) -> None:
        """Record that each subject has a quad in the graph beside it."""
        by_graph: dict[str, set[str]] = defaultdict(set)
        for subject, graph in zip(subjects, graphs):
            by_graph[graph].add(subject)
        for graph, group in by_graph.items():
            self.note_graph(graph, group)

    def note_graph(self, graph: str, subjects: set[str]) -> None:
        """Record that ``subjects`` have quads in ``graph`` (set operations over the
        hashes, no Python step per subject unless some are in other graphs too)."""
        hashes = set(map(hash, subjects))
        common: set[int] = set()
        for other, seen in self._hashes.items():
            if other != graph:
                common |= hashes & seen
        if common:
            self.shared.update(subject for subject in subjects if hash(subject) in common)
        self._hashes.setdefault(graph, set()).update(hashes)

    def note_frames(self, frames: list[pd.DataFrame]) -> None:
        """Record the subjects and graphs of quad frames. Most come from one source's
        table: one graph, and the distinct subjects of all the frames (the properties of
        the same rows, mostly) are all there is to note."""
        by_graph: dict[str, set[str]] = defaultdict(set)
        for frame in frames:
            graphs = frame["g"]
            first = graphs.iat[0]
            if (graphs.to_numpy() == first).all():
                by_graph[first].update(frame["s"].tolist())
            else:
                pairs = frame[["s", "g"]].drop_duplicates()
                self.note(pairs["s"].tolist(), pairs["g"].tolist())
        for graph, subjects in by_graph.items():
            self.note_graph(graph, subjects)

    def note_nquads(self, nquads: bytes) -> None:
        """Record the subjects and graphs of N-Quads lines (each with a named graph)."""
        lines = [line.split(" ", 1) for line in nquads.decode("utf-8").split("\n") if line]
        self.note((subject for subject, _ in lines), (rest.rsplit(" ", 2)[-2] for _, rest in lines))


def _nquads_text(s: list[str], p: list[str], o: list[str], g: list[str]) -> str:
    r"""The N-Quads lines of four columns of terms, after checking that each quad is one
    line: N-Quads is read a line at a time, one quad per line, so a term holding a line
    break is the only way a cell could add a quad. Loaders check and escape every cell,
    with its location, before this; a line that still breaks is a loader's mistake,
    raised as a ``BuildError`` before its chunk is written. The terms are interleaved
    with the separators in one list and joined once, with no string made per line.

    >>> _nquads_text(["<a>"], ["<b>"], ['"c"'], ["<g>"])
    '<a> <b> "c" <g> .\n'
    >>> _nquads_text(["<a>"], ["<b>"], ['"1"^^<x> <g> .\n<a> <b> "c"'], ["<g>"])
    Traceback (most recent call last):
    g60kg.errors.BuildError: a term breaks its N-Quads line: '<a> <b> "1"^^<x> <g> .\n<a> <b> "c" <g> .\n'
    """
    parts: list[str | None] = [None, " ", None, " ", None, " ", None, " .\n"] * len(s)
    parts[0::8], parts[2::8], parts[4::8], parts[6::8] = s, p, o, g
    text = "".join(parts)  # type: ignore[arg-type]
    if text.count("\n") != len(s) or "\r" in text:
        lines = ("".join(parts[start:start + 8]) for start in range(0, len(parts), 8))  # type: ignore[arg-type]
        broken = next(line for line in lines if line.count("\n") != 1 or "\r" in line)
        raise BuildError(f"a term breaks its N-Quads line: {broken!r}")
    return text


def write_quads(frames: list[pd.DataFrame], sink: Callable[[bytes], None], subjects: SubjectGraphs) -> None:
    r"""Send quad frames to ``sink`` as N-Quads, one frame at a time, each fact in its
    source's graph, noting their subjects' graphs in ``subjects``. The list is emptied as
    it goes, so each frame's memory is freed once written; a large frame goes in slices
    of ``SLICE`` rows, so chunks stay small enough for a store to load with little
    memory. Duplicates stay: a store holds each quad once. A chunk is sent only when
    each of its quads is one line (``_nquads_text``).

    >>> chunks, seen = [], SubjectGraphs()
    >>> write_quads([quads("<a>", "<b>", pd.Series(['"c"']), "<g>", pd.RangeIndex(1))], chunks.append, seen)
    >>> chunks, seen.shared
    ([b'<a> <b> "c" <g> .\n'], set())
    """
    frames[:] = [frame for frame in frames if not frame.empty]
    subjects.note_frames(frames)
    frames.reverse()
    while frames:
        frame = frames.pop()
        columns = [frame[c].tolist() for c in QUAD_COLUMNS]
        for start in range(0, len(frame), SLICE):
            sink(_nquads_text(*(column[start:start + SLICE] for column in columns)).encode("utf-8"))
