"""Normalization of names, dates and numbers, with properties checked by hypothesis."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from g60kg.text.normalize import clean_text, name_key, parse_date, parse_number, place_keys, to_simplified

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
NAMES = st.text(alphabet=st.one_of(CJK, st.sampled_from("ABCabc0123")), min_size=1, max_size=12)


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@given(NAMES)
def test_name_key_is_idempotent(name: str) -> None:
    assert name_key(name_key(name)) == name_key(name)


@given(NAMES)
def test_full_width_and_half_width_names_share_a_key(name: str) -> None:
    assert name_key(full_width(name)) == name_key(name)


@given(NAMES, st.integers(min_value=0, max_value=5))
def test_spaces_do_not_change_the_key(name: str, at: int) -> None:
    spaced = name[:at] + "  " + name[at:]
    assert name_key(spaced) == name_key(name)


@given(NAMES, st.sampled_from(["有限公司", "股份有限公司", "有限责任公司", "(上海)有限公司", "（嘉兴）有限公司"]))
def test_company_suffix_variants_share_a_key(name: str, suffix: str) -> None:
    base = name_key(name)
    if base and not base.endswith(("公司", "集团")):
        assert name_key(name + suffix) == base


@given(st.text(max_size=20))
def test_clean_text_is_idempotent_and_trimmed(text: str) -> None:
    cleaned = clean_text(text)
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert unicodedata.normalize("NFKC", cleaned) == cleaned
    assert clean_text(cleaned) == cleaned


@pytest.mark.parametrize("traditional, simplified", [
    ("長三角G60科創走廊", "长三角G60科创走廊"),
    ("蘇州", "苏州"),
    ("嘉興", "嘉兴"),
    ("蕪湖", "芜湖"),
])
def test_traditional_to_simplified(traditional: str, simplified: str) -> None:
    assert to_simplified(traditional) == simplified
    assert name_key(traditional) == name_key(simplified)


def test_city_aliases_meet() -> None:
    keys = place_keys("松江区", ("上海市",)) | place_keys("Songjiang District")
    for alias in ("松江", "松江区", "上海松江", "上海市松江区", "Songjiang", "SONGJIANG DISTRICT"):
        assert name_key(alias) in keys


@pytest.mark.parametrize("text, expected", [
    ("2018", ("2018", "gYear")),
    ("2018年", ("2018", "gYear")),
    ("2018-9", ("2018-09", "gYearMonth")),
    ("2018年9月", ("2018-09", "gYearMonth")),
    ("2018.09.03", ("2018-09-03", "date")),
    ("２０１８年９月３日", ("2018-09-03", "date")),
])
def test_dates(text: str, expected: tuple[str, str]) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["20x8", "2018-13", "2018-02-40", "2018-02-30", "2019-02-29", "2018-04-31", "九月", ""])
def test_bad_dates_raise(text: str) -> None:
    with pytest.raises(ValueError, match="expected a date|out of range|no day"):
        parse_date(text)


def test_a_leap_day_is_a_date() -> None:
    assert parse_date("2020-02-29") == ("2020-02-29", "date")


@pytest.mark.parametrize("text, expected", [
    ("842", Decimal(842)), ("1,755", Decimal(1755)), ("4072亿", Decimal("407200000000")),
    ("1.3万", Decimal(13000)), ("1.1亿亿", Decimal("11000000000000000")), ("63.1", Decimal("63.1")),
])
def test_numbers(text: str, expected: Decimal) -> None:
    assert parse_number(text) == expected


@given(st.integers(min_value=0, max_value=10**12))
def test_numbers_round_trip_with_separators(n: int) -> None:
    assert parse_number(f"{n:,}") == n
