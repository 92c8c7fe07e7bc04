"""The loaders' fast paths per column (no cleaning of text that is clean already, cells
stripped, references resolved and numbers parsed without a Python call per cell) store
exactly what the general paths store: the same N-Quads for the bundled data and a
generated corridor, and the same answer per function on hostile text."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import g60kg
from g60kg.loaders import resolve, tables
from g60kg.loaders.issues import IssueLog
from g60kg.loaders.triples import _explode
from g60kg.loaders.vocabulary import vocabulary
from g60kg.text import normalize

_SPEC = importlib.util.spec_from_file_location(
    "generate", Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py")
generate = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(generate)

ASCII = st.text(alphabet=st.characters(max_codepoint=127), max_size=12)


def _general_resolution(self, frame, column, values, kind, label):  # type: ignore[no-untyped-def]
    """The general path of ``resolve_column`` (tuples of references), one per cell."""
    resolved = resolve.EntityIndex.resolve_column(self, frame.assign(**{column: [(v,) for v in values]}), column,
                                                  kind, label)
    return resolved.assign(**{column: [t[0] for t in resolved[column]]}) if len(resolved) else frame.iloc[:0]


def _sorted_dump(inputs: list[Path]) -> list[bytes]:
    kg = g60kg.open_graph("memory")
    kg.build(inputs, validate=False)
    return sorted(kg.store.dump("nq").splitlines())


def test_the_fast_and_the_general_paths_store_the_same_quads(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    inputs = generate.write_dataset(1, tmp_path / "corridor")  # the bundled data and a generated corridor
    fast = _sorted_dump(inputs)
    monkeypatch.setattr(normalize, "are_clean", lambda texts: False)
    monkeypatch.setattr(tables, "are_clean", lambda texts: False)
    monkeypatch.setattr(tables, "_stripped", lambda values: values.astype(str).str.strip().tolist())
    monkeypatch.setattr(resolve.EntityIndex, "_resolve_texts", _general_resolution)
    monkeypatch.setattr(resolve.EntityIndex, "_resolve_each",
                        lambda self, values, kind: {value: self.resolve(value, kind) for value in values})
    monkeypatch.setattr(tables, "_CANONICAL", {})  # every number and year parsed on its own
    general = _sorted_dump(inputs)
    assert len(fast) > 60_000
    assert fast == general


# Text that cleaning may change: spaces of every kind, full-width and traditional
# characters, compatibility forms (NFKC changes them), combining marks.
MIXED = st.text(alphabet=st.sampled_from(list(" \t\n\x1f\x85\xa0\u2028\u3000aZ1/-芜湖蕪長ＡＩ①ﬁ\u0301é\x00")), max_size=8)


def _cleaned(text: str) -> str:
    """``clean_text`` by its definition, one text at a time, without the fast paths."""
    return normalize.to_simplified(normalize._half_width_single_spaced(text).strip())


@given(st.lists(ASCII | MIXED | st.text(max_size=6), max_size=5))
def test_text_said_to_be_clean_is_what_cleaning_gives(texts: list[str]) -> None:
    if normalize.are_clean(texts):
        assert list(map(_cleaned, texts)) == texts
    assert normalize.clean_texts(texts) == list(map(_cleaned, texts))


@given(st.lists(ASCII | MIXED, min_size=1, max_size=5))
def test_text_that_cleaning_keeps_is_said_to_be_clean(texts: list[str]) -> None:
    if "\x00" not in "".join(texts) and list(map(_cleaned, texts)) == texts:
        assert normalize.are_clean(texts)


@given(st.lists(st.text(max_size=8), max_size=6))
def test_stripping_a_column_is_str_strip_of_each_cell(cells: list[str]) -> None:
    assert tables._stripped(pd.Series(cells, dtype=object)) == [c.strip() for c in cells]


def test_one_reference_per_cell_resolves_and_reports_as_tuples_do() -> None:
    rows = pd.DataFrame({"_file": ["p.csv"] * 2, "_row": [2, 3], "id": ["place/shanghai", "place/songjiang"],
                         "class": ["City", "District"], "name": ["上海市", "松江区"], "source": ["s", "s"]})
    refs = pd.DataFrame({"_file": ["r.csv"] * 4, "_row": [2, 3, 4, 5], "subject": ["上海", "松江", "无名", "place/shanghai"]})
    answers = []
    for as_tuples in (False, True):
        log = IssueLog()
        index = resolve.EntityIndex([rows], vocabulary(), log)
        frame = refs.assign(subject=[(v,) for v in refs["subject"]]) if as_tuples else refs
        out = index.resolve_column(frame, "subject", "place", "subject")
        ids = [v[0] if isinstance(v, tuple) else v for v in out["subject"]]
        answers.append((ids, out["_row"].tolist(), [str(i) for i in log.issues]))
    assert answers[0] == answers[1]
    assert answers[0][0] == ["place/shanghai", "place/songjiang", "place/shanghai"]
    assert answers[0][1] == [2, 3, 5] and "unknown subject '无名'" in answers[0][2][0]


@pytest.mark.parametrize("cells", [[("a", "b"), (), ("c",)], [("a", "b"), None, "c"]])
def test_a_column_of_tuples_explodes_as_a_mixed_one(cells: list) -> None:  # type: ignore[type-arg]
    values = _explode(pd.DataFrame({"c": cells}, index=[5, 6, 7]), "c")
    assert (values.index.tolist(), values.tolist()) == ([5, 5, 7], ["a", "b", "c"])


# Cells as tables write them: numbers plain and not, years, dates, text to escape.
CELLS = st.one_of(st.from_regex(r"-?[0-9]{1,6}(\.[0-9]{0,3})?", fullmatch=True), st.from_regex(r"[0-9]{4}", fullmatch=True),
                  st.sampled_from(["-0", "0.0", "007", "1e3", "+5", ".5", "1,488", "2018-09", "1.5万", "是", "Q8686"]),
                  st.text(max_size=6))


@pytest.mark.parametrize("datatype", ["string", "integer", "decimal", "date", "boolean", "wikidata"])
@given(cells=st.lists(CELLS, max_size=8))
def test_distinct_cells_parse_as_each_cell_does(datatype: str, cells: list[str]) -> None:
    spec = tables.ColumnMap("c", "g60:c", lang="zh" if datatype == "string" else None, datatype=datatype)
    terms, errors = tables._parse_distinct(cells, spec)
    parse = tables._literal_parser(spec)
    for cell in set(cells) - {""}:
        try:
            assert (terms[cell], cell in errors) == (parse(cell), False)
        except ValueError as exc:
            assert (terms[cell], errors[cell]) == ("", str(exc))
