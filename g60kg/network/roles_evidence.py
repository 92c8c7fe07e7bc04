"""What the role layers read from the graph (by SPARQL, through
``g60kg/network/projections/``): the city evidence, the venues of events, the dates of
entities and the dated memberships of the network, with the questions these answer
alone — the network's origin, its members as of a year, and when each joined.

>>> import g60kg
>>> kg = g60kg.open_graph("memory"); _ = kg.build()
>>> evidence = role_evidence(kg)
>>> origin(evidence)["city"], len(members_as_of(evidence, 2016))
('g60place:songjiang', 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from g60kg.network.cities import NETWORKS, CityEvidence, city_evidence
from g60kg.network.projection import Queryable, projection_query

__all__ = ["RoleEvidence", "role_evidence", "evidence_without", "origin", "year_of", "members_as_of", "joined_years"]


def year_of(text: object) -> float:
    """The year of an ISO date or year (``2018-06-01`` → 2018.0); NaN when there is none.

    >>> year_of("2018-06"), year_of(None)
    (2018.0, nan)
    """
    if isinstance(text, str) and text[:4].isdigit():
        return float(text[:4])
    return float("nan")


@dataclass
class RoleEvidence:
    """What the role layers need: the city evidence and three more tables read by SPARQL
    (venues, dates of entities, dated memberships)."""

    cities: CityEvidence
    venues: pd.DataFrame
    dates: dict[str, str]
    member_dates: pd.DataFrame
    refused: list[dict]
    joined: dict[str, float] = field(default_factory=dict)


def role_evidence(kg: Queryable, *, network: str = "nine-cities", resolution: str = "district",
                  cities: CityEvidence | None = None) -> RoleEvidence:
    """Fetch the role evidence of ``network`` at ``resolution`` (reusing ``cities`` when given).

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> len(role_evidence(kg).venues) > 0
    True
    """
    cities = cities or city_evidence(kg, network=network, resolution=resolution)
    venues = kg.query(projection_query("venues"))
    dates = kg.query(projection_query("dates"))
    dates = dict(zip(dates["entity"], dates["date"]))
    member_dates = kg.query(projection_query("member-dates"))
    iri = NETWORKS.get(cities.network, cities.network)
    member_dates = member_dates[member_dates["network"] == iri].reset_index(drop=True)
    return RoleEvidence(cities, venues, dates, member_dates, [], _joined(cities, member_dates))


def _joined(cities: CityEvidence, member_dates: pd.DataFrame) -> dict[str, float]:
    """Each member's first dated year of membership."""
    joined: dict[str, float] = {}
    dated = member_dates.assign(year=member_dates["start"].map(year_of)).dropna(subset=["year"])
    for place, year in zip(dated["place"], dated["year"]):
        city = cities.aggregated.get(place, place)
        joined[city] = min(year, joined.get(city, year))
    return joined


def evidence_without(evidence: RoleEvidence, source: str) -> RoleEvidence:
    """The evidence less every row that ``source`` states: its ties, locations, venues
    and dated memberships (the members themselves stay: the claim model holds them
    fixed; the dates of entities, which no source carries here, stay too).

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> evidence = role_evidence(kg)
    >>> less = evidence_without(evidence, "seed-songjiang-g60")
    >>> "seed-songjiang-g60" in set(less.cities.ties["source"]), less.cities.members == evidence.cities.members
    (False, True)
    """
    c = evidence.cities
    kept = {name: frame[frame["source"] != source] for name, frame in (
        ("member_facts", c.member_facts), ("locations", c.locations), ("ties", c.ties))}
    cities = replace(c, **kept)
    member_dates = evidence.member_dates[evidence.member_dates["source"] != source]
    return RoleEvidence(cities, evidence.venues[evidence.venues["source"] != source], evidence.dates, member_dates, [],
                        _joined(cities, member_dates))


def origin(evidence: RoleEvidence) -> dict | None:
    """The member whose dated membership comes first (the network's origin), with the year,
    the sources that date it and a quote; None when no membership is dated.

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> o = origin(role_evidence(kg)); o["city"], o["year"]
    ('g60place:songjiang', 2016)
    """
    dated = evidence.member_dates.assign(year=evidence.member_dates["start"].map(year_of)).dropna(subset=["year"])
    cities = evidence.cities
    dated = dated.assign(city=dated["place"].map(lambda p: cities.aggregated.get(p, p)))
    dated = dated[dated["city"].isin(cities.members)]
    if dated.empty:
        return None
    first = dated["year"].min()
    earliest = dated[dated["year"] == first]
    if earliest["city"].nunique() > 1:
        return None
    return {"city": earliest["city"].iloc[0], "year": int(first), "sources": tuple(sorted(set(earliest["source"]))),
            "quote": min((q for q in earliest["quote"] if isinstance(q, str)), default="")}


def members_as_of(evidence: RoleEvidence, year: float) -> list[str]:
    """The members as of ``year``: those whose membership is dated in or before it, and
    those whose membership the data does not date (every member when ``year`` is NaN).

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> [m.split(":")[1] for m in members_as_of(role_evidence(kg), 2016)]
    ['songjiang']
    """
    return sorted(m for m in evidence.cities.members if not (year == year and evidence.joined.get(m, 0) > year))


def joined_years(evidence: RoleEvidence) -> dict[str, float]:
    """Each member's year of joining, for the members whose joining the data dates.

    >>> import g60kg
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> joined_years(role_evidence(kg))["g60place:hefei"]
    2018.0
    """
    return dict(evidence.joined)
