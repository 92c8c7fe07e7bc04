"""Rules of the news extractor that are meant for articles it was not written for, each
on an invented sentence (the firms, people and events are fictional; places are real)."""

from __future__ import annotations

import pytest

from g60kg.news import extract

pytest.importorskip("jieba")
pytest.importorskip("pycrfsuite")


def names(text: str) -> dict[str, str]:
    x = extract(text, link=None)
    return {m.text: e.cls for e in x.entities for m in e.mentions}


def relations(text: str) -> set[tuple[str, str, str]]:
    return {(r.subject, r.predicate, r.object) for r in extract(text, link=None).relations}


def test_the_corridor_opens_a_longer_name_and_stays_a_name_inside_it() -> None:
    found = names("青溪区被授予长三角G60科创走廊产业融合发展示范园区称号。")
    assert found.get("长三角G60科创走廊产业融合发展示范园区") == "Park"
    assert found.get("长三角G60科创走廊") == "Corridor"


def test_the_integration_strategy_is_a_policy_and_an_edition_opens_an_event() -> None:
    found = names("会议强调要服务长三角一体化发展。双方参加了第三届中国国际进口博览会。")
    assert found.get("长三角一体化发展") == "Policy"
    assert "第三届中国国际进口博览会" in found


def test_a_reporter_in_a_byline_is_a_person() -> None:
    x = extract("星海科技有限公司在松江成立。(记者 丁一鸣)", link=None)
    assert any(m.text == "丁一鸣" and m.cls == "Person" for m in x.mentions)


def test_relative_bodies_and_the_outlets_own_place() -> None:
    x = extract("金华市召开大会。市委、市政府高度重视,我市将加快发展。", link=None)
    found = {m.text: m for m in x.mentions}
    assert found["市委"].cls == "GovernmentBody" and found["市政府"].cls == "GovernmentBody"
    assert found["我市"].name == "金华市"


def test_one_character_abbreviations_only_in_a_list_of_them() -> None:
    found = names("双方同意松、湖两地加强合作。芜湖、合肥两市签约。")
    assert {"松", "湖"} <= set(found)
    assert "合" not in found and "芜湖" in found and "合肥" in found


def test_a_learned_span_over_two_joined_names_is_cut_in_two() -> None:
    found = names("继续加快推进星海国际机场三期和青溪铁路枢纽建设。")
    assert "星海国际机场三期和青溪铁路枢纽" not in found


def test_titles_of_several_bodies_in_a_row_and_an_implicit_government() -> None:
    text = ("金华市举行大会。青溪专家咨询委员会主任、中国工程院院士丁一鸣出席。"
            "市长王小明在会上讲话。")
    found = relations(text)
    assert ("丁一鸣", "leads", "青溪专家咨询委员会") in found
    assert ("丁一鸣", "memberOf", "中国工程院") in found
    assert ("王小明", "leads", "金华市人民政府") in found


def test_a_meeting_spoken_of_without_its_name_publishes() -> None:
    text = "2023青溪科技合作联席会议在松江举行。会议审议通过了《青溪科技合作三年行动方案》。"
    assert ("2023青溪科技合作联席会议", "publishes", "青溪科技合作三年行动方案") in relations(text)


def test_all_named_before_gathering_attend_the_story_event() -> None:
    text = ("星海生物医药合作大会在嘉兴举行。科技部、上海市等有关负责人,"
            "松江、嘉兴、杭州等地嘉宾共聚一堂。")
    found = relations(text)
    assert {(who, "participatesIn", "星海生物医药合作大会") for who in ("科技部", "上海市", "松江", "嘉兴")} <= found


def test_a_figure_after_a_back_reference_is_about_what_was_named_before() -> None:
    text = "星海生物医药产业联盟在杭州成立。本次联盟确定55家单位为首批成员。"
    x = extract(text, link=None)
    fifty_five = next(s for s in x.statistics if s.quantity.value == 55)
    assert fifty_five.subjects[0].name == "星海生物医药产业联盟"


def test_a_clause_opening_with_its_takes_the_subject_of_the_clause_before() -> None:
    text = "省经信委主任表示,长三角地区基础好,其制造业规模占全国1/4、信息产业规模占全国1/3。"
    x = extract(text, link=None)
    subjects = {str(round(s.quantity.value, 2)): s.subjects[0].name for s in x.statistics}
    assert subjects["0.25"] == subjects["0.33"] == "长三角地区"


def test_a_count_of_the_places_just_listed_is_not_a_figure() -> None:
    x = extract("近六成企业集中在上海市松江区、苏州市和杭州市三地。沪苏浙皖四地政府指导。", link=None)
    assert [s.quantity.text for s in x.statistics if s.quantity.value == 3] == []
    assert any(s.quantity.value == 4 for s in x.statistics)


def test_a_parent_named_on_its_own_owns_the_longer_name() -> None:
    text = "青溪智慧高速公路全线贯通。青溪智慧高速公路北段开工,中科院青溪物质科学研究院参与建设。"
    found = relations(text)
    assert ("青溪智慧高速公路北段", "partOf", "青溪智慧高速公路") in found
    assert ("中科院青溪物质科学研究院", "partOf", "中科院") in found


@pytest.mark.parametrize("span, kept", [
    ("星海智能研究院", True),
    ("大会", False),                      # only a class suffix
    ("G60“新生", False),                  # an unpaired quotation mark
    ("宣城如何把握科创走廊", False),        # a pronoun inside
    ("杭州市规模以上企业医药", False),      # a place, then common words with a locality word
    ("长三角区域", False),                 # a place, then a generic word
])
def test_learned_spans_that_cannot_be_names_are_dropped(span: str, kept: bool) -> None:
    from g60kg.news.spans import learned_mentions
    from g60kg.news.tagger import tag

    text = span + "。"
    found = [m.text for m in learned_mentions(text, tag(text), [(0, len(span), 0.9)], [], 0, 0)]
    assert (found == [span]) is kept, found
