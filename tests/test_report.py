"""The report: its title follows the city, it speaks Chinese or English, its tables have
no "None" cells, each layer's deciding facts come before the figures, and without a CJK
font the figures fall back to English names with a warning."""

from __future__ import annotations

import warnings

import pytest

import g60kg
from g60kg.analysis import report
from g60kg.analysis.claim import central_node_claim


@pytest.fixture(scope="module")
def hefei(bundled: g60kg.KnowledgeGraph):
    return central_node_claim(bundled, city="合肥", n=50)


def test_the_page_follows_the_city_and_the_language(hefei) -> None:
    zh = report.render_html([hefei], {}, lang="zh")
    en = report.render_html([hefei], {}, lang="en")
    assert "<title>合肥市是长三角G60科创走廊的“中心节点”吗?</title>" in zh and "<html lang='zh'>" in zh
    assert "<title>Is Hefei the central node (中心节点) of the G60 corridor?</title>" in en
    assert "什么数据会改变这个结论" in zh and "What would change this verdict" in en
    for page in (zh, en):
        assert ">None<" not in page and ">nan<" not in page and "松江" not in page.split("<h1>")[1][:40]


def test_deciding_facts_come_before_the_figures(bundled: g60kg.KnowledgeGraph) -> None:
    verdict = central_node_claim(bundled, n=50)
    page = report.render_html([verdict], {"timeline": b"png"}, lang="en")
    coordination = verdict.finding("coordination")
    claims = coordination.deciding(coordination.top or verdict.city)
    assert not claims.empty
    deciding = page.index(f"<td>{claims['sources'].iloc[0][0]}")
    assert deciding < page.index("data:image/png")


def test_without_a_cjk_font_the_figures_warn_and_use_english(hefei, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report, "CJK_FONTS", ("No Such Font Family",))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figures = report.report_figures(hefei, lang="zh")
    messages = [str(w.message) for w in caught]
    assert any("no CJK font installed" in m for m in messages)
    # English names: matplotlib found a glyph for every label.
    assert not any("Glyph" in m for m in messages), messages
    assert set(figures) == {"timeline", "scores"} and all(data[:4] == b"\x89PNG" for data in figures.values())
