"""Figures the news parser reads: decimals written with 点 (三点五亿), ranges (两三百),
tenths (三成), counts with no measure word (九城, 八地), the units 度, 版, 届 and 个月,
amounts with a scale and no unit, a scoped 唯一 as rank 1, and words that look like
figures but are not (第四届, 3.0版, 三年前, 近3年来). Chinese numerals are checked against cn2an where both apply."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from g60kg.news.tagger import tag
from g60kg.text.numbers import find_quantities, parse_chinese_number, reads_as_figure

cn2an = pytest.importorskip("cn2an")


def _found(text: str) -> list[tuple[str, Decimal, str, str, str, Decimal | None]]:
    starts = {t.start: "m" if reads_as_figure(t.text) else t.tag for t in tag(text)}  # as extraction reads them
    return [(q.text, q.value, q.unit, q.qualifier, q.kind, q.upper) for q in find_quantities(text, starts)]


@pytest.mark.parametrize("text, expected", [
    ("投资三点五亿元", ("三点五亿元", Decimal("350000000"), "元", "=", "count", None)),
    ("两三百家企业", ("两三百家", Decimal(200), "家", "~", "range", Decimal(300))),
    ("超三成的新药", ("超三成", Decimal(30), "%", ">", "percent", None)),
    ("近六成企业", ("近六成", Decimal(60), "%", "<", "percent", None)),
    ("九城共建", ("九城", Decimal(9), "个", "=", "count", None)),
    ("八地联动", ("八地", Decimal(8), "个", "=", "count", None)),
    ("长三角G60科创走廊9城市共建", ("9城市", Decimal(9), "个", "=", "count", None)),
    ("年用电100万度", ("100万度", Decimal(1_000_000), "度", "=", "count", None)),
    ("已连续举办三届", ("三届", Decimal(3), "届", "=", "count", None)),
    ("有关部门负责人近百人参加活动", ("近百人", Decimal(100), "人", "<", "count", None)),
    ("全年产值4072亿,同比增长", ("4072亿", Decimal(407_200_000_000), "元", "=", "count", None)),
    ("该区为全省唯一入选的区", ("全省唯一", Decimal(1), "rank", "=", "rank", None)),
    ("工期三个月", ("三个月", Decimal(3), "个月", "=", "count", None)),
])
def test_figures_the_parser_reads(text: str, expected: tuple) -> None:  # type: ignore[type-arg]
    assert _found(text) == [expected]


@pytest.mark.parametrize("text", ["第四届进博会在上海举行", "发布总体发展规划3.0版", "第一次联席会议", "三年前来此考察",
                                  "近3年来,该区发展迅速", "两个月后投产", "这是唯一的办法"])
def test_ordinals_and_versions_are_not_figures(text: str) -> None:
    assert _found(text) == []


def test_the_corridor_name_is_not_cut_by_a_following_count() -> None:
    from g60kg.news.gazetteer import CORRIDOR_PATTERN

    assert CORRIDOR_PATTERN.findall("长三角G60科创走廊9城市") == ["长三角G60科创走廊"]


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=10**8), st.integers(min_value=1, max_value=99))
def test_decimals_with_dian_read_as_cn2an_reads_them(whole: int, tenths: int) -> None:
    number = f"{whole}.{tenths:02d}".rstrip("0")
    written = cn2an.an2cn(number)
    assert "点" in written
    assert parse_chinese_number(written) == Decimal(number) == Decimal(str(cn2an.cn2an(written, "strict")))


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["万", "亿"]))
def test_scaled_numerals_read_as_cn2an_reads_them(number: int, scale: str) -> None:
    written = cn2an.an2cn(number) + scale
    expected = Decimal(number) * (10**4 if scale == "万" else 10**8)
    assert parse_chinese_number(written) == expected == Decimal(str(cn2an.cn2an(written, "smart")))


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=8), st.sampled_from(["十", "百", "千", "万"]))
def test_two_neighbouring_digits_are_a_range(low: int, scale: str) -> None:
    digits = "一二三四五六七八九"
    text = f"约有{digits[low - 1]}{digits[low]}{scale}家企业"
    found = find_quantities(text)
    assert len(found) == 1
    unit = {"十": 10, "百": 100, "千": 1000, "万": 10**4}[scale]
    assert (found[0].value, found[0].upper, found[0].kind) == (low * unit, (low + 1) * unit, "range")
