"""News loader: numbers, page furniture and offsets, traditional text, rules on an
invented paragraph, and the review table round trip (extract → decide → build)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import g60kg
from g60kg.news import extract
from g60kg.text.numbers import find_quantities, parse_chinese_number
from g60kg.loaders.review import is_review_table
from g60kg.news.review import SourceInfo, extract_review, review_table, write_review
from g60kg.news.text import clean_article

pytest.importorskip("jieba")

# Invented firms, people and institutes; the places are real corridor places.
FICTION = ("星海科技有限公司在松江成立。该公司总投资超20亿元,满载产能约3万台。"
           "园区已聚集蓝湾生物、青禾智造和白鹭光电等高新技术企业120多家。"
           "星海科技有限公司负责人王小明表示,将与紫川先进材料研究院合作。")


@pytest.mark.parametrize("text, value, unit, qualifier", [
    ("产值4072亿元", Decimal("407200000000"), "元", "="),
    ("算力可达每秒1.1亿亿次", Decimal("11000000000000000"), "次/秒", "<="),
    ("满载服务器40万台", Decimal("400000"), "台", "="),
    ("总投资超450亿元", Decimal("45000000000"), "元", ">"),
    ("相关企业约302家", Decimal("302"), "家", "~"),
    ("近5000名", Decimal("5000"), "名", "<"),
    ("企业400多家", Decimal("400"), "家", ">"),
    ("人才2万多名", Decimal("20000"), "名", ">"),
    ("逾三千家", Decimal("3000"), "家", ">"),
    ("占比63.1%", Decimal("63.1"), "%", "="),
    ("约占1/7", Decimal("0.1428571428571428571428571428571428571429"), "share", "~"),
    ("总量位列上海全市第三", Decimal(3), "rank", "="),
    ("发出全国首个执照", Decimal(1), "rank", "="),
    ("亚洲单体规模最大的超算中心", Decimal(1), "rank", "="),
])
def test_numbers_scales_and_qualifiers(text: str, value: Decimal, unit: str, qualifier: str) -> None:
    found = find_quantities(text)
    assert len(found) == 1, found
    q = found[0]
    assert (q.value, q.unit, q.qualifier) == (value, unit, qualifier)
    assert q.text in text


def test_chinese_numerals() -> None:
    assert parse_chinese_number("一亿二千万") == 120_000_000
    assert parse_chinese_number("亿亿") == 10**16
    assert parse_chinese_number("两万零五") == 20005


@pytest.mark.parametrize("text", ["长三角一体化", "发展是第一要务", "“十二五”末", "2018年9月", "G60科创走廊", "一批实验室", "首批试点"])
def test_words_with_numerals_are_not_figures(text: str) -> None:
    assert find_quantities(text) == []


def test_page_furniture_and_offsets_point_into_the_original() -> None:
    original = ("◀ 上接第一版\n\n园区瞄准战新产业,大力发展工业互联网等特色产业集群,半年内为商飞实现国产\n\n"
                "化替代新增30%。\n\n（摄影 张三）\n\n下一段。")
    article = clean_article(original)
    assert "上接" not in article.text and "摄影" not in article.text
    assert "国产化替代新增30%。" in article.text
    start = article.text.index("国产化替代")
    a, b = article.original_span(start, start + 5)
    assert original[a:b] == "国产\n\n化替代"
    assert article.source_words(start, start + 5) == "国产化替代"
    x = extract(original, link=None)
    (stat,) = [s for s in x.statistics if s.quantity.unit == "%"]
    a, b = article.original_span(stat.quantity.start, stat.quantity.end)
    assert original[a:b] == "30%"


def test_traditional_full_width_and_latin() -> None:
    original = "松江區聚集「星海科技」等企業８４２家，其中ＡＩ企業逾百家。"
    x = extract(original, link=None)
    values = {(s.quantity.value, s.quantity.unit) for s in x.statistics}
    assert (Decimal(842), "家") in values
    stat = next(s for s in x.statistics if s.quantity.value == 842)
    a, b = x.article.original_span(stat.quantity.start, stat.quantity.end)
    assert original[a:b] == "８４２家"
    assert "ＡＩ" in original and "AI" in x.article.text


def test_invented_paragraph_gives_expected_candidates() -> None:
    x = extract(FICTION, link=None)
    entities = {e.name: e.cls for e in x.entities}
    assert entities["星海科技有限公司"] == "Enterprise"
    assert entities["松江"] == "District"
    assert entities["王小明"] == "Person"
    assert entities["紫川先进材料研究院"] == "Institute"
    assert {"蓝湾生物", "青禾智造", "白鹭光电"} <= set(entities)
    assert entities["蓝湾生物"] == "Enterprise"
    stats = {(s.quantity.value, s.quantity.unit, s.quantity.qualifier) for s in x.statistics}
    assert {(Decimal(2_000_000_000), "元", ">"), (Decimal(30000), "台", "~"), (Decimal(120), "家", ">")} <= stats
    invest = next(s for s in x.statistics if s.quantity.unit == "元")
    assert invest.subjects[0].name == "星海科技有限公司"
    relations = {(r.subject, r.predicate, r.object) for r in x.relations}
    assert ("星海科技有限公司", "locatedIn", "松江") in relations
    assert ("王小明", "leads", "星海科技有限公司") in relations


def test_linking_labels_but_never_finds_mentions() -> None:
    unlinked = extract(FICTION, link=None)
    linked = extract(FICTION)
    assert [m.text for m in unlinked.mentions] == [m.text for m in linked.mentions]
    assert linked.links["松江"].id == "place/songjiang"
    assert "星海科技有限公司" not in linked.links


def test_review_table_round_trip(tmp_path: Path) -> None:
    article = tmp_path / "xinghai.txt"
    article.write_text(FICTION, encoding="utf-8")
    csv_path, xlsx_path, rows = extract_review(article, tmp_path / "out", title="星海科技落户松江",
                                               publisher="测试报", date="2024-05-01", url="https://example.org/xinghai")
    assert csv_path.name == "xinghai.review.csv" and xlsx_path.exists() and rows > 5
    assert is_review_table(csv_path)
    table = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    for column in ("decision", "sentence", "start", "end", "confidence", "link", "subject_candidates"):
        assert column in table
    row = table[(table["kind"] == "entity") & (table["name"] == "星海科技有限公司")].iloc[0]
    assert FICTION[int(row["start"]):int(row["end"])] == "星海科技有限公司"
    # the curator accepts the firm, its investment and its location, edits a name, rejects the rest
    table["decision"] = table["decision"].where(table["kind"] == "source", "reject")
    accept = ((table["kind"] == "entity") & table["name"].isin(["星海科技有限公司", "松江", "紫川先进材料研究院"])) | \
             ((table["kind"] == "statistic") & (table["unit"] == "元")) | \
             ((table["kind"] == "relation") & (table["predicate"] == "locatedIn") & (table["subject"] == "星海科技有限公司"))
    table.loc[accept, "decision"] = "accept"
    edit = (table["kind"] == "entity") & (table["name"] == "紫川先进材料研究院")
    table.loc[edit, ["decision", "name"]] = ["edit", "紫川材料研究院"]
    table.to_csv(csv_path, index=False)
    kg = g60kg.open_graph("memory")
    report = kg.build([csv_path])
    assert report.validation.conforms, report.validation.text()
    source = table[table["kind"] == "source"].iloc[0]["source"]
    facts = kg.query(f"""
        SELECT ?p ?o ?method ?confidence ?quote WHERE {{ GRAPH g60graph:{source} {{
          ?st a g60:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; g60:method ?method ;
              g60:confidence ?confidence ; g60:quote ?quote ; prov:wasDerivedFrom g60src:{source} }} }}""")
    assert set(facts["method"]) == {"extracted"}
    located = facts[facts["p"] == "g60:locatedIn"]
    assert located["o"].tolist() == ["g60place:songjiang"]
    assert located["quote"].iloc[0] == "星海科技有限公司在松江成立。"
    assert 0 < float(located["confidence"].iloc[0]) <= 1
    names = kg.query(f"SELECT ?name WHERE {{ GRAPH g60graph:{source} {{ ?e rdfs:label ?name }} }}")["name"].tolist()
    assert "紫川材料研究院" in names and "王小明" not in names
    observations = kg.query(f"""SELECT ?v ?method WHERE {{ GRAPH g60graph:{source} {{
        ?o a g60:Observation ; g60:value ?v ; g60:method ?method }} }}""")
    assert observations["v"].tolist() == [2_000_000_000] and observations["method"].tolist() == ["extracted"]
    sources = kg.query(f"SELECT ?url WHERE {{ g60src:{source} schema:url ?url }}")
    assert str(sources["url"].iloc[0]) == "https://example.org/xinghai"
    rejected = kg.query(f"SELECT * WHERE {{ GRAPH g60graph:{source} {{ ?s g60:leads ?o }} }}")
    assert rejected.empty


def test_review_xlsx_builds_and_bad_decisions_are_located(tmp_path: Path) -> None:
    x = extract(FICTION, link=None)
    frame = review_table(x, SourceInfo.for_text(FICTION, title="t"))
    frame.loc[frame["kind"] == "entity", "decision"] = "accept"
    _, xlsx = write_review(frame, tmp_path, "a")
    report = g60kg.open_graph("memory").build([xlsx])
    assert report.classes["Person"] >= 1
    frame.loc[frame.index[1], "decision"] = "maybe"
    bad, _ = write_review(frame, tmp_path, "b")
    with pytest.raises(g60kg.InputError, match=r"b\.review\.csv:3:decision: unknown decision 'maybe'"):
        g60kg.open_graph("memory").build([bad])
