"""Hygiene of the curated tables: every row says no more than the words it quotes.

Each test states one rule over every row of ``g60kg/data`` (rows added later included):
a quote contains the value or the name it supports, a date is no more precise than its
quote (or the source's own date) allows, an alias names one entity, readers' comments
are their own kind of evidence, and an organization the words place in Songjiang is not
filed under Shanghai.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

import g60kg
from g60kg.text.normalize import clean_text, name_key, place_keys
from g60kg.text.quotes import ANAPHORA, date_support, names_in, states_number

DATA = Path(g60kg.__file__).resolve().parent / "data"
ENTITY_TABLES = ["places", "organizations", "people", "policies", "projects", "achievements", "events"]
DATED_TABLES = ["policies", "projects", "achievements", "events"]
READER_KIND = "reader-comment"
# How a newspaper introduces a reader's words: 网友眠江说:“…”, 读者来信, a netizen wrote.
READER_MARK = re.compile(r"网友\S{0,8}?(?:说|写道|表示|留言|评论)|读者来信|读者\S{0,8}?(?:说|写道)|\bnetizens?\b|\ba reader\b")
SHANGHAI = "place/shanghai"
# Words that place something in Songjiang: 位于上海市临港松江科技城, 在上海松江投入使用, in Songjiang.
IN_SONGJIANG = re.compile(r"(?:位于|落户|落地|坐落|设在|在|于)[^,，。;；:]{0,12}松江|松江[区]?(?:境内|的)|"
                          r"\bin (?:Shanghai's )?Songjiang\b", re.IGNORECASE)


def read_table(name: str) -> pd.DataFrame:
    """A curated table as text, empty cells as empty strings."""
    return pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    """Every curated table, the source registry included, by name."""
    return {p.stem: read_table(p.stem) for p in sorted(DATA.glob("*.csv"))}


@pytest.fixture(scope="module")
def names(tables: dict[str, pd.DataFrame]) -> dict[str, list[str]]:
    """Every name and alias of every entity, by id (places' and orgs' rows pooled, the
    bundled data sets' entities included, so a relation may name a data set's university)."""
    found: dict[str, list[str]] = defaultdict(list)
    for frame in entity_frames(tables):
        for row in frame.itertuples():
            for name in (row.name_zh, row.name_en, *row.aliases.split("|")):
                if name.strip() and name not in found[row.id]:
                    found[row.id].append(name)
    for row in tables["places"].itertuples():  # 上海松江 and Songjiang name 松江区 too
        found[row.id].extend(sorted(place_keys(row.name_zh) | place_keys(row.name_en)))
    return found


def entity_frames(tables: dict[str, pd.DataFrame]) -> list[pd.DataFrame]:
    """The curated entity tables, then every bundled data set's table of entities."""
    sets = [pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            for p in sorted((DATA / "datasets").glob("*.csv"))]
    return [tables[t] for t in ENTITY_TABLES] + [f for f in sets if {"id", "name_zh", "aliases"} <= set(f.columns)]


def where(table: str, index: int) -> str:
    """A row as a reader finds it in the file (the header is row 1)."""
    return f"{table}.csv row {index + 2}"


# A quote contains the value or the name it supports.

def test_observation_quotes_state_their_value(tables: dict[str, pd.DataFrame]) -> None:
    """842 is in 聚集…企业842家; 4860000000000 in 4.86万亿; 12.5 (%) in one-eighth."""
    wrong = [f"{where('observations', i)} {r.id}: {r.value} not in {r.quote!r}"
             for i, r in tables["observations"].iterrows() if not states_number(r.quote, r.value)]
    assert wrong == [], "\n".join(wrong)


def test_place_quotes_state_their_division_code(tables: dict[str, pd.DataFrame]) -> None:
    places = tables["places"]
    wrong = [f"{where('places', i)} {r.id}: {r.admin_code} not in {r.quote!r}"
             for i, r in places.iterrows() if r.admin_code and r.admin_code not in r.quote]
    assert wrong == [], "\n".join(wrong)


def test_entity_quotes_name_their_entity(tables: dict[str, pd.DataFrame], names: dict[str, list[str]]) -> None:
    """A row of an organization, person, policy, project, achievement or event quotes
    words that name it (its name, an alias, or a recognizable part of one) or refer to
    it (the alliance, 该中心)."""
    wrong = [f"{where(t, i)} {r.id}: {r.quote!r}"
             for t in ENTITY_TABLES if t != "places"
             for i, r in tables[t].iterrows() if not (names_in(r.quote, names[r.id]) or ANAPHORA.search(clean_text(r.quote)))]
    assert wrong == [], "\n".join(wrong)


def test_relation_quotes_name_both_ends(tables: dict[str, pd.DataFrame], names: dict[str, list[str]]) -> None:
    """A relation's quote names its subject and its object; where it names one end, the
    other may be a place left implicit (松江 is the topic of the seed's section) or be
    referred to (该中心, the alliance)."""
    wrong = []
    for i, r in tables["relations"].iterrows():
        ends = [(end, names_in(r.quote, names.get(end, [end]))) for end in (r.subject, r.object)]
        unnamed = [end for end, ok in ends if not ok]
        implicit = len(unnamed) == 1 and (unnamed[0].startswith(("place/", "corridor/")) or ANAPHORA.search(clean_text(r.quote)))
        if unnamed and not implicit:
            wrong.append(f"{where('relations', i)} {r.subject} {r.predicate} {r.object}: {r.quote!r}")
    assert wrong == [], "\n".join(wrong)


def test_quotes_are_more_than_a_lead_in_or_a_list_item(tables: dict[str, pd.DataFrame],
                                                       names: dict[str, list[str]]) -> None:
    """A quote that is only the entity's name (a bare list item) or stops inside an open
    title (签署了《关于全面深化, a lead-in clause) shows nothing of the fact it is cited for."""
    wrong = []
    for table, frame in tables.items():
        if "quote" not in frame:
            continue
        for i, r in frame.iterrows():
            quote = r.quote.strip()
            own = [*names.get(getattr(r, "id", ""), []), *names.get(getattr(r, "subject", ""), []),
                   *names.get(getattr(r, "object", ""), [])]
            bare = bool(own) and name_key(quote) in {name_key(n) for n in own}
            open_title = quote.count("《") > quote.count("》") and len(quote) - quote.rfind("《") < 16
            if bare or open_title:
                wrong.append(f"{where(table, i)}: {quote!r}")
    assert wrong == [], "\n".join(wrong)


# A date is no more precise than its quote supports.

def test_dates_are_no_more_precise_than_their_quotes(tables: dict[str, pd.DataFrame]) -> None:
    """A day only where the quote gives it (12日, June 16, 2016年5月24日) or places it
    from the source's date (今天, on Sunday); 近日 and 日前 give no month and no day.
    A relation may carry the date its event or entity has on its own (checked) rows."""
    source_date = dict(zip(tables["sources"]["id"], tables["sources"]["date"]))
    cells = [(t, "date") for t in DATED_TABLES] + [("organizations", "founded"), ("relations", "start"),
                                                   ("relations", "end")]
    own_dates: dict[str, set[str]] = defaultdict(set)
    for table, column in cells[:-2]:
        for r in tables[table].itertuples():
            if getattr(r, column):
                own_dates[r.id].add(getattr(r, column))
    wrong = []
    for table, column in cells:
        for i, r in tables[table].iterrows():
            date = r[column]
            if table == "relations" and date in own_dates[r.subject] | own_dates[r.object]:
                continue
            if date and (missing := date_support(date, r.quote, source_date.get(r.source, ""))):
                wrong.append(f"{where(table, i)} {column}={date}: no {'/'.join(missing)} in {r.quote!r}")
    assert wrong == [], "\n".join(wrong)


# An alias names one entity; one company has one id.

def test_every_name_and_alias_names_one_entity(tables: dict[str, pd.DataFrame]) -> None:
    """An alias names one entity: its name key is no other entity's name or alias, and a
    name is written for one entity only, across the curated tables and the bundled data
    sets (a university or listed firm of a data set that a curated row also describes
    takes the curated row's id, as the scripts in ``scripts/derive`` do). Two own names that differ only in a bracketed
    place (长三角(湖州)产业合作区, 长三角(宣城)产业合作区) share a key on purpose: the key
    then links neither, and no alias may pick one of them."""
    owners: dict[str, set[str]] = defaultdict(set)
    aliased: set[str] = set()
    written: dict[str, set[str]] = defaultdict(set)
    for frame in entity_frames(tables):
        for r in frame.itertuples():
            for name in {r.name_zh, r.name_en}:
                if name.strip():
                    owners[name_key(name)].add(r.id)
                    written[name.strip()].add(r.id)
            for alias in r.aliases.split("|"):
                if alias.strip():
                    owners[name_key(alias)].add(r.id)
                    aliased.add(name_key(alias))
    shared = {key: sorted(ids) for key, ids in owners.items() if len(ids) > 1 and key in aliased}
    shared.update({name: sorted(ids) for name, ids in written.items() if len(ids) > 1})
    assert shared == {}, "names given to more than one entity: " + repr(shared)


def test_each_entity_has_one_chinese_name(tables: dict[str, pd.DataFrame]) -> None:
    """Rows of one id agree on its Chinese name (other spellings are aliases)."""
    wrong = {}
    for table in ENTITY_TABLES:
        frame = tables[table]
        given = frame[frame["name_zh"] != ""].groupby("id")["name_zh"].unique()
        wrong |= {i: list(v) for i, v in given.items() if len(v) > 1}
    assert wrong == {}


# Readers' comments are their own kind of evidence.

def test_readers_comments_cite_a_reader_comment_source(tables: dict[str, pd.DataFrame]) -> None:
    """A quote in a reader's words (网友眠江说:“…”) cites a source of kind
    reader-comment, and such a source's rows quote the words that show whose they are."""
    kinds = dict(zip(tables["sources"]["id"], tables["sources"]["kind"]))
    wrong = []
    for table, frame in tables.items():
        if "quote" not in frame:
            continue
        for i, r in frame.iterrows():
            marked = READER_MARK.search(r.quote) is not None
            if marked != (kinds.get(r.source) == READER_KIND):
                wrong.append(f"{where(table, i)} ({r.source}, {kinds.get(r.source)}): {r.quote!r}")
    assert wrong == [], "\n".join(wrong)


def test_reader_comment_is_a_source_kind_of_the_ontology() -> None:
    ontology = (DATA.parent / "ontology" / "g60.ttl").read_text(encoding="utf-8")
    shapes = (DATA.parent / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
    assert f'"{READER_KIND}"' in ontology and f'"{READER_KIND}"' in shapes


# Organizations the words place in Songjiang are not filed under Shanghai.

def test_no_organization_in_shanghai_whose_words_name_songjiang(tables: dict[str, pd.DataFrame],
                                                               names: dict[str, list[str]]) -> None:
    orgs = tables["organizations"]
    wrong = [f"{where('organizations', i)} {r.id}: {r.quote!r}" for i, r in orgs.iterrows()
             if r.city == SHANGHAI and (IN_SONGJIANG.search(r.quote) or any("松江" in n for n in names[r.id]))]
    assert wrong == [], "\n".join(wrong)


def test_no_organization_in_both_a_city_and_its_district(tables: dict[str, pd.DataFrame]) -> None:
    parents = {r.id: r.parent for r in tables["places"].itertuples() if r.parent}
    located: dict[str, set[str]] = defaultdict(set)
    for r in tables["organizations"].itertuples():
        if r.city:
            located[r.id].add(r.city)
    for r in tables["relations"].itertuples():
        if r.predicate == "locatedIn" and r.subject.startswith("org/"):
            located[r.subject].add(r.object)
    wrong = {org: sorted(cities) for org, cities in located.items()
             if any(parents.get(c) in cities for c in cities)}
    assert wrong == {}


# Figures that need their date or their official source.

def test_investment_figures_carry_their_date(tables: dict[str, pd.DataFrame]) -> None:
    """A total investment is a figure of a date: announced plans grow (150亿 in 2020,
    超450亿 later), so each figure carries the time it refers to."""
    obs = tables["observations"]
    wrong = [f"{where('observations', i)} {r.id}" for i, r in obs.iterrows()
             if ("投资" in r.indicator or "investment" in r.indicator_en.lower()) and not (r.year or r.time)]
    assert wrong == [], "\n".join(wrong)


def test_census_figures_come_from_a_statistics_bulletin(tables: dict[str, pd.DataFrame]) -> None:
    """An encyclopedia's census figure stands only beside the same figure from a
    statistics or government source (an infobox can differ in a digit), or with a note
    that says the bulletin was not found."""
    kinds = dict(zip(tables["sources"]["id"], tables["sources"]["kind"]))
    obs = tables["observations"]
    census = obs[obs["indicator"].str.contains("人口普查")]
    official = {(r.subject, r.indicator, r.value) for r in census.itertuples()
                if kinds.get(r.source) in ("statistics", "government")}
    wrong = [f"{where('observations', i)} {r.id}" for i, r in census.iterrows()
             if kinds.get(r.source) == "encyclopedia" and (r.subject, r.indicator, r.value) not in official
             and "bulletin not found" not in r.notes]
    assert wrong == [], "\n".join(wrong)


def test_organizations_have_a_city_where_their_name_gives_one(tables: dict[str, pd.DataFrame]) -> None:
    """An organization whose Chinese name begins with a member's name (苏州纳米…, 芜湖…)
    or names Songjiang has a city (the one its words support)."""
    places = tables["places"].drop_duplicates("id").set_index("id")
    relations = tables["relations"]
    members = relations.query("predicate == 'partOf' and object == 'corridor/g60'")["subject"].unique()
    prefixes = [n for m in members if m in places.index
                for n in (places.at[m, "name_zh"], places.at[m, "name_zh"][:-1]) if len(n) >= 2]
    orgs = tables["organizations"]
    with_city = set(orgs.loc[orgs["city"] != "", "id"]) | set(
        tables["relations"].query("predicate == 'locatedIn'")["subject"])
    wrong = []
    for org, rows in orgs.groupby("id"):
        if org in with_city:
            continue
        org_names = {n for n in rows["name_zh"] if n}
        if any(n.startswith(tuple(prefixes)) or "松江" in n for n in org_names):
            wrong.append(f"{org}: {sorted(org_names)}")
    assert wrong == [], "\n".join(wrong)


# The rules catch the defects they were written for.

def test_the_rules_catch_the_defects_found_in_the_tables() -> None:
    assert date_support("2019-07", "近日,2019长三角G60科创走廊联席会议在安徽芜湖召开。", "2019-07-15") == ["month"]
    assert date_support("2017-07", "日前,杭州與上海簽署了《滬嘉杭G60科創走廊戰略合作協議》", "2017-07-16") == ["month"]
    assert not states_number("Prefecture-level city12,748,252", "12748262")
    assert not names_in("松江还着眼高水平科技自立自强,充分依托重大研究平台", ["可利霉素"])
    assert IN_SONGJIANG.search("16日,長三角G60金華(上海)科創中心、金華(上海)人才大廈在上海松江投入使用")
    assert IN_SONGJIANG.search("位于上海市临港松江科技城核心区域")
    assert not IN_SONGJIANG.search("项目由松江区、联和投资、临港集团三方共同打造")
    assert READER_MARK.search("网友眠江说:“在松江产业结构调整、产业转型升级中,松江区委书记向民亲临现场调查研究")
    assert READER_MARK.search("网友朱炳华也写道:“松江创造性地提出长三角G60科创走廊建设")
