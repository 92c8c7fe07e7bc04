"""The extractor's rule words are not fitted to one article: every word of its cue and
stop lists occurs in at least two articles of the dev split of the news gold (the
texts are read from ../shared/news-dev and the test skips when they are absent).

Exempt, as vocabularies of the language rather than cues of a rule: the gazetteer of
places, the name suffixes of the ontology's classes (SUFFIXES), units of measure,
industry sectors (SECTOR_WORDS, a stop list of topics) and park abbreviations."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from g60kg.news import gazetteer
from g60kg.news.corpus import article_body
from g60kg.text.normalize import clean_text

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT.parent / "shared" / "news-dev"
RULE_LISTS = ("ROLES", "ROLE_HEADS", "PARENT_SUFFIXES", "TRIGGERS", "SPEECH", "PERSON_TITLES", "GENERIC_WORDS", "INDUSTRY_WORDS", "LIST_HEADS", "BYLINES",
              "OUTLET_ENDINGS")


@pytest.fixture(scope="module")
def dev_bodies() -> list[str]:
    if not TEXTS.exists():
        pytest.skip(f"the dev articles are not here ({TEXTS} is absent); they stay outside the repository")
    with (ROOT / "tests" / "news_gold" / "split.csv").open(encoding="utf-8") as handle:
        names = [r["article"] for r in csv.DictReader(handle) if r["split"] == "dev"]
    return [clean_text(article_body((TEXTS / f"{n}.txt").read_text(encoding="utf-8"))) for n in names]


@pytest.mark.parametrize("name", RULE_LISTS)
def test_every_rule_word_occurs_in_two_dev_articles(name: str, dev_bodies: list[str]) -> None:
    words = list(getattr(gazetteer, name))
    assert words
    rare = [w for w in words if sum(w in body for body in dev_bodies) < 2]
    assert rare == [], f"{name}: words found in fewer than two dev articles: {rare}"


@pytest.mark.parametrize("rule", sorted(gazetteer.CUES))
def test_every_cue_of_a_relation_rule_occurs_in_two_dev_articles(rule: str, dev_bodies: list[str]) -> None:
    rare = [w for w in gazetteer.CUES[rule] if sum(w in body for body in dev_bodies) < 2]
    assert rare == [], f"{rule}: cues found in fewer than two dev articles: {rare}"


def test_the_dev_split_is_what_the_gold_says(dev_bodies: list[str]) -> None:
    assert len(dev_bodies) == 14 and all(dev_bodies)


# The rules themselves, each on an invented sentence (fictional firms, people and events;
# real places).

def _extraction(text: str):  # type: ignore[no-untyped-def]
    pytest.importorskip("jieba")
    pytest.importorskip("pycrfsuite")
    from g60kg.news import extract

    return extract(text, link=None)


def _names(text: str) -> dict[str, str]:
    return {m.text: e.cls for e in _extraction(text).entities for m in e.mentions}


def _relations(text: str) -> set[tuple[str, str, str]]:
    return {(r.subject, r.predicate, r.object) for r in _extraction(text).relations}


def test_an_outlet_in_a_dateline_or_a_byline_is_an_organization() -> None:
    found = _names("新华社芜湖3月2日电(记者王小明)青岚科技有限公司昨日成立。据中新网记者介绍,本报记者李华也在场。")
    assert found.get("新华社") == "Organization" and found.get("中新网") == "Organization"
    assert "新华社芜湖" not in found and "据中新网" not in found and "本报" not in found
    assert found.get("芜湖") == "City"


def test_a_ministrys_short_name_after_a_function_word_is_a_government_body() -> None:
    found = _names("本次论坛由科技部和工信部联合举办。")
    assert found.get("科技部") == "GovernmentBody" and found.get("工信部") == "GovernmentBody"


def test_guided_by_supports_the_event_and_hosted_by_hosts_it() -> None:
    found = _relations("2031青岚创新峰会在芜湖市举行。本次峰会由科技部、芜湖市人民政府指导,青岚科技有限公司主办。")
    assert ("科技部", "supports", "2031青岚创新峰会") in found
    assert ("芜湖市人民政府", "supports", "2031青岚创新峰会") in found
    assert ("青岚科技有限公司", "hosts", "2031青岚创新峰会") in found
    assert not any(p == "supports" for _, p, _ in _relations("在联盟的指导下,芜湖市发展新材料产业。"))


def test_a_part_after_a_class_suffix_keeps_the_class_and_a_list_keeps_its_verb() -> None:
    text = "芜湖市将加快推进青岚国际机场三期和铁路青岚东站枢纽建设,推进赣闽铁路新建双线、青岚大桥等工程建设。"
    found = _relations(text)
    assert ("芜湖市", "implements", "青岚国际机场三期") in found
    assert ("青岚国际机场三期", "partOf", "青岚国际机场") in found
    assert ("芜湖市", "implements", "青岚大桥") in found


def test_a_body_being_set_up_keeps_its_mark_and_has_no_parent_of_its_own() -> None:
    found = _names("大会上举行了青岚科创研究中心(青岚研究院(筹))成立仪式。")
    assert found.get("青岚研究院(筹)") == "Institute" and "青岚研究院" not in found


def test_the_body_that_holds_an_event_hosts_it_a_description_names_no_host() -> None:
    found = _relations("芜湖市不断优化环境,并面向长三角,举办青岚合作暨成果对接会、全国青岚创新大赛。")
    assert {("芜湖市", "hosts", "青岚合作暨成果对接会"), ("芜湖市", "hosts", "全国青岚创新大赛")} <= found
    described = _relations("芜湖市的代表来到在合肥召开的2031青岚创新峰会。")
    assert not any(p == "hosts" for _, p, _ in described)


def test_an_industry_and_an_event_word_name_a_kind_of_event_not_one() -> None:
    found = _names("这是长三角地区首次举办的人工智能大会,2031青岚人工智能大会随后开幕。")
    assert "人工智能大会" not in found and found.get("2031青岚人工智能大会") == "Event"


def test_a_count_of_parts_with_no_agent_of_its_own_is_about_the_document_described() -> None:
    def subject(text: str, figure: str) -> str:
        return next(s.subjects[0].name for s in _extraction(text).statistics if s.quantity.text == figure)

    assert subject("芜湖市发布了《青岚协同发展行动方案》,围绕科创、产业等6个方面开展合作。", "6个") == "青岚协同发展行动方案"
    assert subject("芜湖市发布了《青岚协同发展行动方案》,全市企业达到300家。", "300家") != "青岚协同发展行动方案"
    assert subject("芜湖市发布了《青岚协同发展行动方案》,芜湖市围绕6个方面开展合作。", "6个") == "芜湖市"


def test_each_body_listed_with_the_subject_gets_the_relation_and_an_initiative_is_launched() -> None:
    found = _relations("芜湖市、宣城市和合肥市共同发布了《青岚协同发展行动方案》。")
    assert {(city, "publishes", "青岚协同发展行动方案") for city in ("芜湖市", "宣城市", "合肥市")} <= found
    launched = _relations("青岚科技有限公司发起《青岚绿色制造倡议》。")
    assert ("青岚科技有限公司", "launches", "青岚绿色制造倡议") in launched
    assert not any(p == "establishes" for _, p, _ in launched)


def test_a_stage_or_section_of_a_project_is_part_of_it() -> None:
    found = _relations("青岚科创城一期项目占地138亩。芜湖市开工建设青岚智慧高速公路青芜段。")
    assert ("青岚科创城一期项目", "partOf", "青岚科创城") in found
    assert ("青岚智慧高速公路青芜段", "partOf", "青岚智慧高速公路") in found
    assert "青岚大桥新阶段" not in _names("青岚大桥进入新阶段。")


def test_the_corridor_named_with_member_abbreviations_is_whole_and_the_expressway_is_not_it() -> None:
    found = _names("芜湖与宣城签署了《芜宣G60科创走廊战略合作协议》,以G60高速为纽带。")
    assert found.get("芜宣G60科创走廊") == "Corridor"
    assert "G60科创走廊" not in found and "G60" not in found


def test_an_adverb_after_a_title_or_a_lone_function_word_is_no_name() -> None:
    found = _names("青岚科技有限公司主任王一鸣、副主任着重介绍了新产品。")
    assert "着重" not in found
    from g60kg.news.spans import learned_mentions
    from g60kg.news.tagger import tag

    sentence = "会议着重研究了新产品。"
    assert learned_mentions(sentence, tag(sentence), [(2, 4, 0.9)], [], 0, 0) == []


def test_a_places_own_body_its_head_and_a_verb_fused_with_an_event_word() -> None:
    found = _relations("芜湖市科技局局长王小平、副局长张一鸣参加会议。")
    assert {("王小平", "leads", "芜湖市科技局"), ("张一鸣", "leads", "芜湖市科技局")} <= found
    names = _names("市政府秘书长楼东江出席会议。")
    assert names.get("市政府") == "GovernmentBody"
    assert not any(n.endswith("出席会议") for n in names)


def test_a_cue_inside_a_name_or_describing_its_object_states_no_relation() -> None:
    found = _relations("2031青岚联盟成立大会由芜湖市人民政府、青岚科技有限公司联合主办。")
    assert not any(p == "establishes" for _, p, _ in found)
    assert ("青岚科技有限公司", "hosts", "2031青岚联盟成立大会") in found
    described = _relations("芜湖市是长三角重要城市。此次成立的青岚产业技术创新联盟共有50家成员。")
    assert not any(p == "establishes" for _, p, _ in described)


def test_carrying_out_the_national_strategy_is_no_ones_project() -> None:
    found = _relations("芜湖市积极推进长三角一体化发展,推进青岚大桥建设。")
    assert ("芜湖市", "implements", "青岚大桥") in found
    assert not any(o.startswith("长三角一体化") for _, p, o in found if p == "implements")


def test_bodies_named_in_a_persons_titles_do_not_attend_for_the_person() -> None:
    found = _relations("2031青岚论坛在芜湖举行。青岚材料专家咨询委员会主任、中国工程院院士王一鸣出席论坛。")
    assert ("王一鸣", "participatesIn", "2031青岚论坛") in found
    assert not any(s.endswith("委员会") and p == "participatesIn" for s, p, _ in found)


def test_a_host_place_joined_by_a_dot_and_a_year_open_an_events_name() -> None:
    found = _names("2031中国·芜湖青岚健康产业峰会在芜湖开幕。")
    assert found.get("2031中国·芜湖青岚健康产业峰会") == "Event"


def test_a_long_quoted_theme_opens_an_events_name() -> None:
    found = _names("昨天,芜湖市举行“长三角一体化战略下的青岚高质量发展”问政咨询会。")
    assert found.get("“长三角一体化战略下的青岚高质量发展”问政咨询会") == "Event"


def test_a_working_group_is_named_after_its_task_verb_included() -> None:
    found = _names("近日,市推进青岚一体化发展工作领导小组召开小组会议。芜湖市推进青岚大桥建设。")
    assert found.get("市推进青岚一体化发展工作领导小组") == "GovernmentBody"
    assert "芜湖市推进青岚大桥" not in found


def test_a_city_holds_the_honorary_titles_named_with_it() -> None:
    found = _relations("芜湖市先后获得全国文明城市、国家森林城市称号。")
    assert {("芜湖市", "designatedAs", "全国文明城市"), ("芜湖市", "designatedAs", "国家森林城市")} <= found
    assert not any(p == "designatedAs" for _, p, _ in _relations("芜湖市和宣城市都是全国文明城市。"))


def test_the_corridor_runs_along_the_expressway_named_with_it() -> None:
    found = _relations("这条科创走廊长约180公里,以G60高速为纽带。")
    assert ("科创走廊", "anchoredOn", "G60高速") in found
    assert _names("得名于G60沪昆高速的G60科创走廊").get("G60沪昆高速") == "Project"


def test_a_count_of_people_who_attend_is_about_the_event() -> None:
    x = _extraction("2031青岚论坛在芜湖举行。芜湖市有关部门负责人近百人参加论坛,全市企业达到300家。")
    subjects = {s.quantity.text: s.subjects[0].name for s in x.statistics}
    assert subjects["近百人"] == "2031青岚论坛"
    assert subjects["300家"] != "2031青岚论坛"


def test_a_documents_version_and_the_corridors_common_slip_belong_to_the_names() -> None:
    found = _names("会议发布了青岚湾区总体发展规划2.0版。长三角G60科技走廊新材料产业联盟随后成立。")
    assert found.get("青岚湾区总体发展规划2.0版") == "Policy"
    assert found.get("长三角G60科技走廊") == "Corridor"


def test_a_body_its_title_and_a_person_in_one_learned_span_are_cut_in_two() -> None:
    from g60kg.news.spans import learned_mentions
    from g60kg.news.tagger import tag

    sentence = "市政府秘书长楼东江出席。"
    found = {(m.text, m.cls) for m in learned_mentions(sentence, tag(sentence), [(0, 9, 0.9)], [], 0, 0)}
    assert found == {("市政府", "GovernmentBody"), ("楼东江", "Person")}


def test_a_mayors_title_after_a_city_names_that_citys_government() -> None:
    text = "芜湖市是青岚之城。芜湖市市长王一鸣、宣城市副市长李华出席会议并致辞。"
    found = _relations(text)
    assert ("王一鸣", "leads", "芜湖市人民政府") in found and ("李华", "leads", "宣城市人民政府") in found
    assert not any(n.endswith("出席会议") for n in _names(text))
