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
