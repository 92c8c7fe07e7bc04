"""The review table round trip, where curators edit it: a skipped row is reported at
its line in the file, two accepted names of one entity make one statement with one
confidence, and an edited subject wins over the link written for the old one."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import g60kg
from g60kg.news.review import extract_review

pytest.importorskip("jieba")

TEXT = ("长三角G60科创走廊九城市齐聚松江。G60科创走廊发布了新政策,星海科技有限公司在松江成立。"
        "园区总投资超20亿元,满载产能约3万台。")


@pytest.fixture
def table(tmp_path: Path) -> tuple[Path, pd.DataFrame]:
    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    csv_path, _, _ = extract_review(article, tmp_path / "out", title="测试")
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    frame["decision"] = "accept"
    return csv_path, frame


def _build(csv_path: Path, frame: pd.DataFrame):  # type: ignore[no-untyped-def]
    frame.to_csv(csv_path, index=False)
    kg = g60kg.open_graph("memory")
    return kg, kg.build([csv_path])


def test_a_skipped_row_is_reported_at_its_line(table: tuple[Path, pd.DataFrame]) -> None:
    csv_path, frame = table
    last = frame.index[frame["kind"] == "statistic"][-1]
    frame.loc[last, "value"] = "abc"
    _, report = _build(csv_path, frame)
    (issue,) = report.issues
    assert issue.where.row == last + 2  # the header is line 1
    assert csv_path.read_text(encoding="utf-8").splitlines()[last + 1].count("abc") == 1


def test_two_names_of_one_entity_give_one_statement_one_confidence(table: tuple[Path, pd.DataFrame]) -> None:
    csv_path, frame = table
    corridor = frame.index[(frame["kind"] == "entity") & (frame["link"] == "corridor/g60")]
    assert len(corridor) == 2  # 长三角G60科创走廊 and G60科创走廊
    frame.loc[corridor, "confidence"] = ["0.90", "0.70"]
    kg, report = _build(csv_path, frame)
    assert report.validation.conforms, report.validation.text()
    source = frame.loc[frame["kind"] == "source", "source"].iloc[0]
    confidences = kg.query(f"""SELECT ?st (COUNT(?c) AS ?n) (MAX(?c) AS ?best) WHERE {{ GRAPH g60graph:{source} {{
        ?st rdf:subject g60corridor:g60 ; g60:confidence ?c }} }} GROUP BY ?st""")
    assert len(confidences) >= 1 and set(confidences["n"].astype(int)) == {1}
    assert {float(c) for c in confidences["best"]} == {0.9}


def test_an_edited_subject_wins_over_a_stale_link(table: tuple[Path, pd.DataFrame]) -> None:
    csv_path, frame = table
    rel = frame.index[(frame["kind"] == "relation") & (frame["predicate"] == "locatedIn")
                      & (frame["object_link"] == "place/songjiang")][0]
    frame.loc[rel, ["subject", "object"]] = ["星海科技有限公司", "嘉兴"]  # object_link still says place/songjiang
    kg, report = _build(csv_path, frame)
    assert report.validation.conforms, report.validation.text()
    source = frame.loc[frame["kind"] == "source", "source"].iloc[0]
    objects = kg.query(f"""SELECT ?o WHERE {{ GRAPH g60graph:{source} {{
        ?st rdf:predicate g60:locatedIn ; rdf:object ?o }} }}""")["o"].tolist()
    assert "g60place:jiaxing" in objects and "g60place:songjiang" not in objects


def test_an_edited_statistic_subject_wins_over_a_stale_link(table: tuple[Path, pd.DataFrame]) -> None:
    csv_path, frame = table
    linked = frame.index[(frame["kind"] == "statistic") & ~frame["subject_link"].isin(["", "new", "place/jiaxing"])]
    assert len(linked)
    stale = frame.loc[linked[0], "subject_link"]
    frame.loc[linked, "subject"] = "嘉兴"
    kg, report = _build(csv_path, frame)
    assert report.validation.conforms, report.validation.text()
    source = frame.loc[frame["kind"] == "source", "source"].iloc[0]
    about = kg.query(f"""SELECT ?s WHERE {{ GRAPH g60graph:{source} {{ ?obs g60:observationAbout ?s }} }}""")["s"]
    assert set(about) == {"g60place:jiaxing"}, (stale, set(about))
