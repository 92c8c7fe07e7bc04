"""The city network as a two-mode graph: cities × mechanisms, with the role each city
plays in each mechanism, and the role layers drawn from it.

A *mechanism* is anything the member cities do together: a corridor meeting, a joint
office, an alliance, an enclave, a bilateral agreement. A city takes part in one with a
*role*. The roles that make a city a hub of coordination are *distinguished*:

- ``host`` — the venue of a corridor event (``g60:heldIn``, or ``g60:locatedIn`` on a
  ``g60:Event``). An event counts when the graph links it to the network: a member
  city, the network itself, or a body of the network takes part in it
  (``g60:participatesIn``); its guests are those participants' cities, or every member
  as of its date when only the network or one of its bodies is named (``assumed``).
- ``seat`` — the city of a joint body (an organization two or more members, or the
  network, established) and of an alliance's secretariat (``g60:hostedBy``); the
  founders, or the alliance's members, are its ``member`` rows.
- ``enclave host`` — the city where another member runs an enclave or a cross-city
  centre (``g60:operates``, or a single member's ``g60:establishes`` of an entity
  located in another member city); the running city is its ``home``.
- ``lead`` — the city of whoever ``g60:leads`` an alliance (a city, or an organization
  or person located in one).

They make two directed layers: ``coordination`` (guest → host, member → seat, home →
enclave host) and ``alliance-lead`` (member → lead). Each mechanism gives its
distinguished city(ies) a weight of 1 in all (split among co-hosts), spread over its
arcs, so a city's in-strength is the number of mechanisms it hosts, seats or leads. The
origin of the network (the member whose dated membership comes first) is a dated fact
reported beside the layers, never a tie.

Resolution. At ``district`` resolution a role given to a city whose member is one of its
districts (an event "held in 上海市") is not silently moved to that district: it is
*refused* (listed in ``RoleEvidence.refused`` with the city and its member districts)
and left out; nothing is apportioned. At ``shanghai`` resolution the
districts are merged into 上海市, and a mechanism that several districts share counts
once (its rows are one per mechanism, city and role).

>>> import g60kg
>>> from g60kg.network.roles_evidence import role_evidence
>>> kg = g60kg.open_graph("memory"); _ = kg.build()
>>> roles = role_table(role_evidence(kg))
>>> sorted(set(roles.loc[roles["distinguished"], "role"]))
['enclave host', 'host', 'lead', 'seat']
"""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter
import networkx as nx
import pandas as pd

from g60kg.network.cities import NETWORKS, CityEvidence, city_map
from g60kg.network.roles_evidence import RoleEvidence, members_as_of, year_of

__all__ = ["ROLE_LAYERS", "ROLE_COLUMNS", "ROLE_PREDICATES", "role_table", "role_sources", "role_layers",
           "membership_table"]

ROLE_LAYERS = ("coordination", "alliance-lead")
# The predicates whose ties the role layers read (g60:heldIn and locatedIn of events come as venues).
ROLE_PREDICATES = ("g60:establishes", "g60:operates", "g60:hostedBy", "g60:leads", "g60:participatesIn", "g60:memberOf")
ROLE_COLUMNS = ["layer", "mechanism", "kind", "city", "role", "distinguished", "year", "facts", "sources", "quote",
                "assumed"]


class _Builder:
    """Collects rows of the two-mode table, resolving entities to member cities."""

    def __init__(self, evidence: RoleEvidence, mapping: dict[str, dict[str, tuple[str, ...]]] | None) -> None:
        self.evidence = evidence
        ev = evidence.cities
        self.members = set(ev.members)
        self.mapping = city_map(ev) if mapping is None else mapping
        self.network = NETWORKS.get(ev.network, ev.network)
        self.parents = {}  # a city that has member districts (上海市 at district resolution) -> those districts
        up = ev.locations[ev.locations["rel"].isin(["g60:partOf", "g60:locatedIn"]) & ev.locations["entity"].isin(
            self.members)]
        for district, parent in zip(up["entity"], up["target"]):
            if parent not in self.members:
                self.parents.setdefault(parent, set()).add(district)
        self.rows: list[dict] = []
        self._cities: dict[str, list[str]] = {}

    def cities(self, entity: str) -> list[str]:
        """The member cities of an entity (itself when it is one), each looked up once."""
        found = self._cities.get(entity)
        if found is None:
            place = self.evidence.cities.aggregated.get(entity, entity)
            found = self._cities[entity] = [place] if place in self.members else sorted(self.mapping.get(place, {}))
        return found

    def members_at(self, year: float) -> list[str]:
        """Members as of ``year`` (all members when the year or a joining date is unknown)."""
        return members_as_of(self.evidence, year)

    def refuse(self, entity: str, role: str, mechanism: str) -> bool:
        """Record (and report True for) a role given for a city whose districts are the
        members: ``{"role", "mechanism", "place", "districts"}`` in ``refused``."""
        entity = self.evidence.cities.aggregated.get(entity, entity)
        if entity in self.parents:
            self.evidence.refused.append({"role": role, "mechanism": mechanism, "place": entity,
                                          "districts": sorted(self.parents[entity])})
            return True
        return False

    def claims(self, frame: pd.DataFrame, key: str, role: str | None = None, mechanism: str = "") -> dict[str, dict]:
        """The claims that the rows of ``frame`` make for the member cities of the
        entities in their ``key`` column (an entity in two cities counts for both): for
        each city the facts and sources of its rows and a quote (``_claim``: of the rows
        whose entity is the city itself when they have one), gathered in one pass. With a
        distinguished ``role``, an entity that is a city whose districts are the members
        is refused (``refuse``) and its rows left out."""
        refused = {e: self.refuse(e, role, mechanism) for e in sorted(set(frame[key]))} if role else {}
        rows: dict[str, list[list]] = {}  # a city -> its facts, sources, quotes and quotes that name it itself
        quotes = frame["quote"].tolist() if "quote" in frame else [None] * len(frame)
        for entity, fact, source, quote in zip(frame[key].tolist(), frame["fact"].tolist(), frame["source"].tolist(),
                                               quotes):
            if refused.get(entity):
                continue
            for city in self.cities(entity):
                facts, sources, said, direct = rows.setdefault(city, [[], [], [], []])
                facts.append(fact)
                sources.append(source)
                (direct if entity == city else said).append(quote)
        return {city: _claim(facts, sources, direct if _quoted(direct) else said)
                for city, (facts, sources, said, direct) in rows.items()}

    def add(self, layer: str, mechanism: str, kind: str, city: str, role: str, distinguished: bool, year: float,
            facts: tuple, sources: tuple, quote: str, assumed: bool = False) -> None:
        self.rows.append(dict(layer=layer, mechanism=mechanism, kind=kind, city=city, role=role,
                              distinguished=distinguished, year=year, facts=facts, sources=sources, quote=quote,
                              assumed=assumed))

    def mechanism(self, layer: str, mechanism: str, kind: str, role: str, claims: dict[str, dict],
                  others: dict[str, dict], year: float, other_role: str) -> None:
        """Rows of one mechanism: its distinguished cities' claims and the other cities;
        with no other city named, every member as of ``year`` (flagged ``assumed``)."""
        if not claims:
            return
        assumed = not others
        if assumed:
            others = {m: {"facts": (), "sources": (), "quote": ""} for m in self.members_at(year)}
        for city, c in claims.items():
            self.add(layer, mechanism, kind, city, role, True, year, c["facts"], c["sources"], c["quote"])
        for city, c in others.items():
            if city not in claims:
                self.add(layer, mechanism, kind, city, other_role, False, year, c["facts"], c["sources"], c["quote"],
                         assumed)


def _claim(facts: list[str], sources: list[str], quotes: list) -> dict:
    """One claim: its distinct facts and sources, sorted, and the least of its quotes (the
    same one whatever order a store gives them in; ``""`` for none).

    >>> _claim(["f2", "f1", "f2"], ["s"] * 3, [None, "乙", "甲"])
    {'facts': ('f1', 'f2'), 'sources': ('s',), 'quote': '乙'}
    """
    return {"facts": tuple(sorted(set(facts))), "sources": tuple(sorted(set(sources))),
            "quote": min((q for q in quotes if isinstance(q, str) and q), default="")}


def _quoted(quotes: list) -> bool:
    return any(isinstance(q, str) and q for q in quotes)


def _claims(frame: pd.DataFrame) -> dict:
    """The claim that all the rows of ``frame`` make together (``_claim``)."""
    return _claim(frame["fact"].tolist(), frame["source"].tolist(),
                  frame["quote"].tolist() if "quote" in frame else [])


def _index(frame: pd.DataFrame, key: str, wanted: set[str]) -> dict[str, pd.DataFrame]:
    """The rows of ``frame`` by the value of ``key``, for the ``wanted`` values (looked up,
    not filtered, per entity)."""
    return dict(_by(frame[frame[key].isin(wanted)], key))


def _year(evidence: RoleEvidence, entity: str, facts: pd.DataFrame) -> float:
    starts = [year_of(s) for s in facts.get("start", pd.Series(dtype=object))]
    starts = [s for s in starts if s == s]
    return min(starts) if starts else year_of(evidence.dates.get(entity))


def role_table(evidence: RoleEvidence, *, as_of: int | None = None,
               mapping: dict[str, dict[str, tuple[str, ...]]] | None = None) -> pd.DataFrame:
    """The two-mode table: one row per layer, mechanism, city and role, with the facts and
    sources of the row, its year (NaN when the data dates it nowhere) and whether the
    other cities were ``assumed`` (every member as of the date). ``as_of`` keeps the
    mechanisms dated in or before that year (undated ones are left out then).
    ``mapping`` is the ``city_map`` of ``evidence.cities``, when the caller has it already.

    >>> import g60kg
    >>> from g60kg.network.roles_evidence import role_evidence
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> t = role_table(role_evidence(kg))
    >>> t[(t["mechanism"] == "g60org:g60-joint-office") & t["distinguished"]][["role", "city"]].values.tolist()
    [['seat', 'g60place:songjiang']]
    """
    evidence.refused.clear()
    b = _Builder(evidence, mapping)
    ev = evidence.cities
    ties = ev.ties[ev.ties["weight"].isna()]
    classes = ev.entities["class"].to_dict()
    # Network bodies: established by the network or by two or more members.
    made = ties[ties["p"] == "g60:establishes"]
    founders: dict[str, set[str]] = {}
    for subject, body in zip(made["s"].tolist(), made["o"].tolist()):
        founders.setdefault(body, set()).update(("NETWORK",) if subject == b.network else b.cities(subject))
    network_bodies = {o for o, cs in founders.items() if "NETWORK" in cs or len(cs - {"NETWORK"}) >= 2}
    single = made[~made["o"].isin(network_bodies)]
    enclaves = pd.concat([ties[ties["p"] == "g60:operates"], single], ignore_index=True)
    hosted = ties[ties["p"] == "g60:hostedBy"]
    leads = ties[(ties["p"] == "g60:leads") & ties["o"].map(lambda o: classes.get(o) == "g60:Alliance")]
    # The rows each mechanism needs, indexed for the mechanisms there are (not for every entity).
    participates = _index(ties[ties["p"] == "g60:participatesIn"], "o", set(evidence.venues["event"]))
    located = _index(ev.locations[ev.locations["rel"] == "g60:locatedIn"], "entity", network_bodies | set(enclaves["o"]))
    made_by = _index(made, "o", network_bodies)
    members_of = _index(ties[ties["p"] == "g60:memberOf"], "o", set(hosted["s"]) | set(leads["o"]))
    empty, nowhere = ties.iloc[0:0], ev.locations.iloc[0:0]

    # Venues of network events.
    for event, venue_rows in _by(evidence.venues, "event"):
        guests_rows = participates.get(event, empty)
        linked = any(s == b.network or s in network_bodies or b.cities(s) for s in guests_rows["s"])
        if not linked:
            continue
        year = year_of(evidence.dates.get(event))
        hosts = b.claims(venue_rows, "venue", "host", event)
        b.mechanism("coordination", event, "event", "host", hosts, b.claims(guests_rows, "s"), year, "guest")

    # Seats of network bodies and of secretariats.
    for body in sorted(network_bodies):
        seat_rows = located.get(body, nowhere)
        year = _year(evidence, body, made_by.get(body, empty))
        seats = b.claims(seat_rows, "target", "seat", body)
        founding = {c: _claims(made_by.get(body, empty)) for c in founders.get(body, set()) if c != "NETWORK"}
        b.mechanism("coordination", body, "joint body", "seat", seats, founding, year, "member")
    for alliance, rows in _by(hosted, "s"):
        year = _year(evidence, alliance, rows)
        seats = b.claims(rows, "o", "seat", alliance)
        others = b.claims(members_of.get(alliance, empty), "s")
        b.mechanism("coordination", alliance, "secretariat", "seat", seats, others, year, "member")

    # Enclaves and cross-city centres.
    for entity, rows in _by(enclaves, "o"):
        where = b.cities(entity)
        if not where or classes.get(entity) == "g60:Policy" or entity in network_bodies or not (
                {c for s in set(rows["s"]) for c in b.cities(s)} - set(where)):
            continue  # only an entity run from another member city is an enclave
        hosts = {c: _claims(located.get(entity, nowhere)) for c in where}
        homes = b.claims(rows, "s")
        year = _year(evidence, entity, rows)
        b.mechanism("coordination", entity, "enclave", "enclave host", hosts,
                    {c: v for c, v in homes.items() if c not in hosts}, year, "home")

    # Alliance leads.
    for alliance, rows in _by(leads, "o"):
        year = _year(evidence, alliance, rows)
        heads = b.claims(rows, "s", "lead", alliance)
        others = b.claims(members_of.get(alliance, empty), "s")
        b.mechanism("alliance-lead", alliance, "alliance", "lead", heads, others, year, "member")

    table = pd.DataFrame(b.rows, columns=ROLE_COLUMNS)
    if as_of is not None:
        table = table[table["year"] <= as_of]
    table = table.drop_duplicates(["layer", "mechanism", "city", "role"])
    return table.sort_values(["layer", "mechanism", "role", "city"], kind="stable", ignore_index=True)


def role_sources(evidence: RoleEvidence) -> set[str]:
    """The sources of every row ``role_table`` reads: the venues, the dated memberships,
    the ties of the role predicates, and the location facts that place an entity these
    name (or a member), at any remove. A source outside this set cannot change a role table.

    >>> import g60kg
    >>> from g60kg.network.roles_evidence import role_evidence
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> evidence = role_evidence(kg)
    >>> sources = role_sources(evidence)
    >>> set(role_table(evidence)["sources"].explode().dropna()) <= sources < set(evidence.cities.sources.index)
    True
    """
    ev = evidence.cities
    ties = ev.ties[ev.ties["weight"].isna() & ev.ties["p"].isin(ROLE_PREDICATES)]
    reached = set(ties["s"]) | set(ties["o"]) | set(evidence.venues["event"]) | set(evidence.venues["venue"]) | set(
        ev.members)
    level = set(reached)
    while level:  # up the location chains
        level = set(ev.locations.loc[ev.locations["entity"].isin(level), "target"]) - reached
        reached |= level
    located = ev.locations[ev.locations["entity"].isin(reached)]
    return {*evidence.venues["source"], *evidence.member_dates["source"], *ties["source"], *located["source"]}


def _by(frame: pd.DataFrame, key: str) -> list[tuple[str, pd.DataFrame]]:
    """The rows of ``frame`` grouped by ``key``, in key order (empty groups never appear).

    >>> [k for k, _ in _by(pd.DataFrame({"a": ["y", "x", "y"]}), "a")]
    ['x', 'y']
    """
    return [(k, g) for k, g in frame.groupby(key, sort=True)] if not frame.empty else []


def role_layers(table: pd.DataFrame, members: list[str]) -> dict[str, nx.DiGraph]:
    """One directed graph per role layer over every member: an arc from each
    non-distinguished city of a mechanism to each distinguished one, weighted so that a
    mechanism adds 1 to the in-strength of its distinguished cities (split among them);
    each arc lists its ``mechanisms``, ``facts`` and ``sources``.

    >>> t = pd.DataFrame([dict(layer="coordination", mechanism="m", kind="event", city=c, role=r, distinguished=d,
    ...                        year=2020.0, facts=(), sources=("s",), quote="", assumed=False)
    ...                   for c, r, d in (("a", "host", True), ("b", "guest", False), ("c", "guest", False))])
    >>> g = role_layers(t, ["a", "b", "c"])["coordination"]
    >>> g.in_degree("a", weight="weight")
    1.0
    """
    graphs = {}
    for layer in ROLE_LAYERS:
        graph = nx.DiGraph(layer=layer)
        graph.add_nodes_from(members)
        part = table[table["layer"] == layer].sort_values("mechanism", kind="stable")
        columns = (part[c].tolist() for c in ("mechanism", "city", "distinguished", "facts", "sources"))
        for mechanism, rows in groupby(zip(*columns), key=itemgetter(0)):
            rows = list(rows)
            heads = [r for r in rows if r[2]]
            tails = [r[1] for r in rows if not r[2]]
            if not heads or not tails:
                continue
            share = 1.0 / (len(heads) * len(tails))
            for _, head, _, facts, sources in heads:
                for tail in tails:
                    if not graph.has_edge(tail, head):
                        graph.add_edge(tail, head, weight=0.0, mechanisms=[], facts=set(), sources=set())
                    data = graph.edges[tail, head]
                    data["weight"] += share
                    data["mechanisms"].append(mechanism)
                    data["facts"].update(facts)
                    data["sources"].update(sources)
        for _, _, data in graph.edges(data=True):
            data["facts"], data["sources"] = sorted(data["facts"]), sorted(data["sources"])
        graphs[layer] = graph
    return graphs


def membership_table(evidence: CityEvidence, ties: pd.DataFrame, dates: dict[str, str]) -> pd.DataFrame:
    """A one-mode layer's ties (``g60kg.network.cities.tie_table``) as a two-mode table of
    the same shape as ``role_table``: a mechanism is the hub the cities share, or the
    direct tie itself; every city of it is a claim with the sources of its ties; its year
    is the latest start date of its facts (or the hub's date), NaN when undated.

    >>> import g60kg
    >>> from g60kg.network.cities import city_evidence, tie_table
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> ev = city_evidence(kg)
    >>> t = membership_table(ev, tie_table(ev), {})
    >>> {"g60place:songjiang", "g60place:wuhu"} <= set(t.loc[t["layer"] == "enterprise", "city"])
    True
    """
    if ties.empty:
        return pd.DataFrame([], columns=ROLE_COLUMNS)
    ties = ties.reset_index(drop=True)
    starts = _years(evidence.ties["start"]).set_axis(evidence.ties["fact"])
    starts = starts[~starts.index.duplicated(keep="last")]
    facts = ties["facts"].explode()
    year = facts.map(starts).astype(float).groupby(level=0).max().reindex(ties.index)
    hubs = ties["hub"].where(ties["hub"].map(bool))
    year = year.where(year.notna() | hubs.isna(), _years(hubs.map(dates)))
    base = pd.DataFrame({"layer": ties["layer"], "mechanism": ties["tie"], "kind": ties["kind"], "year": year,
                         "facts": ties["facts"], "sources": ties["sources"]})
    rows = pd.concat([base.assign(city=ties["a"]), base.assign(city=ties["b"])], ignore_index=True)
    keys = ["layer", "mechanism", "city"]
    shared = rows.duplicated(keys, keep=False)
    merged: dict[tuple, list] = {}  # a city in several ties of one mechanism: the union of their facts and sources
    for *key, kind, year, fact_set, source_set in zip(*(rows.loc[shared, c].tolist() for c in (
            *keys, "kind", "year", "facts", "sources"))):
        row = merged.setdefault(tuple(key), [kind, year, set(), set()])
        row[1] = year if year == year and not row[1] >= year else row[1]
        row[2].update(fact_set)
        row[3].update(source_set)
    union = pd.DataFrame([(*key, kind, year, tuple(sorted(f)), tuple(sorted(s)))
                          for key, (kind, year, f, s) in merged.items()],
                         columns=[*keys, "kind", "year", "facts", "sources"])
    table = pd.concat([rows[~shared], union], ignore_index=True).assign(
        role="member", distinguished=True, quote="", assumed=False)[ROLE_COLUMNS]
    return table.sort_values(["layer", "mechanism", "city"], kind="stable", ignore_index=True)


def _years(dates: pd.Series) -> pd.Series:
    """``year_of`` of each value, computed once per distinct value."""
    return dates.map({d: year_of(d) for d in dates.dropna().unique()}).astype(float)
