"""A corridor-shaped data set for benchmarks, written in the loaders' own input format.

    python benchmarks/generate.py --scale 10 --seed 60 --out /tmp/g60-s10
    g60kg build --no-bundled /tmp/g60-s10/mappings/*.yaml

``--scale S`` gives S x 1,000 enterprises in the nine member cities of the corridor, with
skewed city sizes, a sector of ``g60kg/ontology/sectors.ttl``, a founding year, a
registered capital, Chinese names (English names for some), branches in other cities,
research platforms run by universities or firms, alliances whose membership is heavy-
tailed, and cooperation and investment ties that favour the large cities. S = 100 is
about one million triples.

Every row is synthetic and says so: its source is ``synthetic-benchmark``, registered as
generated benchmark data that is not real; every name carries 样本 / Sample and a serial
number; every row's notes say it was generated. Only the places are real: the corridor,
the nine cities and their provinces, with the ids and names of ``g60kg/data/places.csv``,
so generated firms sit in the graph's own cities.

The output folder holds ``sources.csv``, ``places.csv``, ``organizations.csv`` and
``relations.csv`` with the columns of the bundled tables (organizations add
``registered_capital``), and ``mappings/*.yaml``: the bundled mappings pointed at them.
The same scale and seed always give byte-identical files.

>>> data = generate(0.1)
>>> {name: len(frame) for name, frame in data.items()}
{'sources': 1, 'places': 14, 'organizations': 134, 'relations': 222}
"""

from __future__ import annotations

import argparse
import sys
import time
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

__all__ = ["CITY_SHARES", "SOURCE_ID", "SOURCE_TITLE", "generate", "write_dataset", "main"]

# The nine member cities and the share of the generated firms in each: skewed on purpose
# (a benchmark shape, not a statistic of the real cities).
CITY_SHARES: dict[str, float] = {
    "place/hangzhou": 0.24, "place/suzhou": 0.22, "place/hefei": 0.15, "place/songjiang": 0.10,
    "place/jiaxing": 0.08, "place/jinhua": 0.07, "place/wuhu": 0.06, "place/huzhou": 0.05, "place/xuancheng": 0.03,
}
CORRIDOR = "corridor/g60"
SOURCE_ID = "synthetic-benchmark"
SOURCE_TITLE = "Generated benchmark data, not real (合成基准测试数据，非真实数据)"
NOTE = "synthetic: generated benchmark row, not real"

# Per 1,000 enterprises (or per enterprise): how much of everything else there is.
PER_FIRM = {"cooperation": 0.6, "investment": 0.25, "branching_firms": 0.15, "memberships": 0.7,
            "platforms": 0.02, "alliances": 0.002, "universities": 0.002}
EN_SHARE = 0.6  # firms with an English name
TIE_BIAS = 0.5  # a firm's pull as a tie's target grows with (its city's share) ** TIE_BIAS
MEMBERSHIP_TAIL = 1.2  # Pareto shape of alliance sizes (smaller: heavier tail)
MIN_FIRMS = 50

_FIRST = [("华", "Hua"), ("中", "Zhong"), ("长", "Chang"), ("新", "Xin"), ("东", "Dong"), ("瑞", "Rui"), ("恒", "Heng"),
          ("博", "Bo"), ("创", "Chuang"), ("智", "Zhi"), ("凯", "Kai"), ("远", "Yuan"), ("鼎", "Ding"), ("启", "Qi"),
          ("宏", "Hong"), ("联", "Lian"), ("正", "Zheng"), ("嘉", "Jia"), ("安", "An"), ("泰", "Tai")]
_SECOND = [("科", "ke"), ("信", "xin"), ("达", "da"), ("晟", "sheng"), ("益", "yi"), ("辰", "chen"), ("源", "yuan"),
           ("通", "tong"), ("海", "hai"), ("星", "xing"), ("云", "yun"), ("峰", "feng"), ("盛", "sheng"), ("合", "he"),
           ("明", "ming"), ("德", "de"), ("兴", "xing"), ("和", "he"), ("润", "run"), ("航", "hang")]
_FORMS = [("科技", "Technology"), ("技术", "Tech"), ("实业", "Industrial"), ("发展", "Development"),
          ("制造", "Manufacturing")]
_PLATFORMS = [("Lab", "实验室", "Laboratory", 0.30), ("Institute", "研究院", "Institute", 0.25),
              ("InnovationCenter", "创新中心", "Innovation Center", 0.30),
              ("ResearchPlatform", "研发平台", "Research Platform", 0.15)]
_ORG_COLUMNS = ["id", "class", "name_zh", "name_en", "aliases", "city", "sector", "founded", "registered_capital",
                "wikidata", "source", "quote", "notes"]
_REL_COLUMNS = ["subject", "predicate", "object", "role", "start", "end", "source", "quote", "notes"]
_PLACE_COLUMNS = ["id", "class", "name_zh", "name_en", "aliases", "parent", "admin_code", "admin_level", "lat", "lon",
                  "wikidata", "source", "quote", "notes"]


# -- what the generator reads from the package --------------------------------------

def _bundled(name: str) -> Path:
    return Path(str(resources.files("g60kg") / "data" / name))


def _places() -> pd.DataFrame:
    """The corridor, the nine cities and their parents, as the bundled table first names them."""
    table = pd.read_csv(_bundled("places.csv"), dtype=str, keep_default_na=False)
    first = table.drop_duplicates("id").set_index("id")
    parents = table[table["parent"] != ""].drop_duplicates("id").set_index("id")["parent"]
    wanted, queue = [CORRIDOR], list(CITY_SHARES)
    while queue:
        ident = queue.pop(0)
        if ident not in wanted:
            wanted.append(ident)
            if ident in parents:
                queue.append(parents[ident])
    rows = first.loc[wanted, ["class", "name_zh", "name_en"]].reset_index()
    rows["parent"] = rows["id"].map(parents).fillna("")
    return _table(rows, _PLACE_COLUMNS)


def _sectors() -> pd.DataFrame:
    """The sector concepts of ``sectors.ttl`` in file order: id, zh and en labels."""
    import pyoxigraph as ox

    path = Path(str(resources.files("g60kg") / "ontology" / "sectors.ttl"))
    concept = "http://www.w3.org/2004/02/skos/core#Concept"
    label = "http://www.w3.org/2004/02/skos/core#prefLabel"
    ids: list[str] = []
    names: dict[tuple[str, str], str] = {}
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        subject = triple.subject.value
        if triple.predicate.value.endswith("#type") and triple.object.value == concept:
            ids.append(subject)
        elif triple.predicate.value == label:
            names[(subject, triple.object.language)] = triple.object.value
    return pd.DataFrame({"id": [i.rsplit("/", 1)[-1] for i in ids], "zh": [names[(i, "zh")] for i in ids],
                         "en": [names[(i, "en")] for i in ids]})


# -- sampling helpers ---------------------------------------------------------------

def _draw(rng: np.random.Generator, weights: np.ndarray, groups: np.ndarray, item_group: np.ndarray | None = None
          ) -> np.ndarray:
    """For each entry of ``groups``, the index of one item of that group, drawn with
    probability proportional to ``weights`` (``item_group`` None: one group of all items).

    >>> _draw(np.random.default_rng(1), np.array([0.0, 1.0, 0.0, 1.0]), np.array([0, 1]), np.array([0, 0, 1, 1])).tolist()
    [1, 3]
    """
    item_group = np.zeros(len(weights), dtype=np.int64) if item_group is None else item_group
    order = np.argsort(item_group, kind="stable")
    cum = np.cumsum(weights[order])
    ordered = item_group[order]
    start, end = np.searchsorted(ordered, groups, "left"), np.searchsorted(ordered, groups, "right")
    if np.any(start == end):
        raise ValueError(f"no item to draw in group(s) {sorted(set(groups[start == end].tolist()))}")
    low = np.where(start > 0, cum[np.maximum(start - 1, 0)], 0.0)
    target = low + rng.random(len(groups)) * (cum[end - 1] - low)
    return order[np.clip(np.searchsorted(cum, target, "right"), start, end - 1)]


def _top_k(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """``k`` distinct indices drawn with probability proportional to ``weights``
    (Gumbel top-k), in ascending order."""
    keys = np.log(weights) - np.log(-np.log(rng.random(len(weights))))
    return np.sort(np.argpartition(-keys, k - 1)[:k])


def _serials(count: int, width: int) -> pd.Series:
    return pd.Series(np.arange(1, count + 1)).astype(str).str.zfill(width)


def _table(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``frame`` with every column of the bundled table (empty where not generated), marked synthetic."""
    out = frame.reindex(columns=columns).astype(object).fillna("")
    out["source"] = SOURCE_ID
    out["notes"] = NOTE
    return out


def _pick(values: list, index: np.ndarray) -> pd.Series:
    return pd.Series(np.array(values, dtype=object)[index])


# -- the parts ----------------------------------------------------------------------

def _enterprises(rng: np.random.Generator, n: int, cities: pd.DataFrame, sectors: pd.DataFrame
                 ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """Enterprise rows, with each firm's city and sector codes and registered capital."""
    share = cities["share"].to_numpy()
    city = np.concatenate([np.arange(len(cities)), rng.choice(len(cities), size=n - len(cities), p=share)])
    zipf = 1.0 / np.arange(1, len(sectors) + 1)
    sector = rng.choice(len(sectors), size=n, p=zipf / zipf.sum())
    first, second, form = (rng.integers(len(x), size=n) for x in (_FIRST, _SECOND, _FORMS))
    serial = _serials(n, 6)
    zh = (_pick([a for a, _ in _FIRST], first) + _pick([a for a, _ in _SECOND], second)
          + _pick(sectors["zh"].tolist(), sector) + _pick([a for a, _ in _FORMS], form) + "样本" + serial + "有限公司")
    en = (_pick([b for _, b in _FIRST], first) + _pick([b for _, b in _SECOND], second) + " "
          + _pick(sectors["en"].tolist(), sector) + " " + _pick([b for _, b in _FORMS], form) + " Sample " + serial
          + " Co., Ltd.")
    en = en.where(rng.random(n) < EN_SHARE, "")
    # Founding years from 1985 to 2024, younger firms more common (mean age about 12 years).
    founded = (2024 - np.minimum(rng.exponential(12.0, size=n).astype(np.int64), 2024 - 1985)).astype(str)
    # Registered capital in 万元: log-normal around 1,000万; about 40% in round hundreds.
    capital = np.exp(rng.normal(np.log(1000.0), 1.2, size=n))
    hundreds = np.maximum(100, np.round(capital / 100) * 100)
    cents = np.char.rstrip(np.char.rstrip(np.char.mod("%.2f", capital), "0"), ".")  # 117.6, not 117.60
    capital_text = np.where(rng.random(n) < 0.4, np.char.mod("%d", hundreds.astype(np.int64)), cents)
    frame = pd.DataFrame({
        "id": "org/synthetic-firm-" + serial, "class": "Enterprise", "name_zh": zh, "name_en": en,
        "city": _pick(cities["id"].tolist(), city), "sector": _pick(sectors["id"].tolist(), sector),
        "founded": founded.astype(object), "registered_capital": capital_text.astype(object),
    })
    return _table(frame, _ORG_COLUMNS), city, sector, capital


def _short(city_zh: pd.Series) -> pd.Series:
    return city_zh.str.replace(r"[市区]$", "", regex=True)


def _universities(rng: np.random.Generator, n: int, cities: pd.DataFrame, pull: np.ndarray
                  ) -> tuple[pd.DataFrame, np.ndarray]:
    count = max(len(cities), round(n * PER_FIRM["universities"]))
    city = np.concatenate([np.arange(len(cities)), _draw(rng, pull, np.zeros(count - len(cities), dtype=np.int64))])
    serial = _serials(count, 3)
    frame = pd.DataFrame({
        "id": "org/synthetic-university-" + serial, "class": "University",
        "name_zh": _short(_pick(cities["name_zh"].tolist(), city)) + "样本大学" + serial,
        "name_en": _pick(cities["name_en"].str.replace(" District", "").tolist(), city) + " Sample University " + serial,
        "city": _pick(cities["id"].tolist(), city),
    })
    return _table(frame, _ORG_COLUMNS), city


def _platforms(rng: np.random.Generator, n: int, cities: pd.DataFrame, sectors: pd.DataFrame, pull: np.ndarray,
               firms: pd.DataFrame, firm_city: np.ndarray, universities: pd.DataFrame, university_city: np.ndarray
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Research platforms, each run (g60:operates) by a university or a firm, mostly of its own city."""
    count = max(5, round(n * PER_FIRM["platforms"]))
    city = _draw(rng, pull, np.zeros(count, dtype=np.int64))
    kind = rng.choice(len(_PLATFORMS), size=count, p=[w for *_, w in _PLATFORMS])
    sector = rng.integers(len(sectors), size=count)
    serial = _serials(count, 5)
    frame = pd.DataFrame({
        "id": "org/synthetic-platform-" + serial, "class": _pick([c for c, *_ in _PLATFORMS], kind),
        "name_zh": (_short(_pick(cities["name_zh"].tolist(), city)) + _pick(sectors["zh"].tolist(), sector) + "样本"
                    + _pick([z for _, z, *_ in _PLATFORMS], kind) + serial),
        "name_en": (_pick(cities["name_en"].str.replace(" District", "").tolist(), city) + " "
                    + _pick(sectors["en"].tolist(), sector) + " Sample " + _pick([e for *_, e, _ in _PLATFORMS], kind)
                    + " " + serial),
        "city": _pick(cities["id"].tolist(), city), "sector": _pick(sectors["id"].tolist(), sector),
        "founded": (2005 + rng.integers(20, size=count)).astype(str),
    })
    # The operator's city: the platform's own (70%) or any, weighted toward the large cities.
    home = np.where(rng.random(count) < 0.7, city, _draw(rng, pull, np.zeros(count, dtype=np.int64)))
    by_university = rng.random(count) < 0.6
    uni = universities["id"].to_numpy()[_draw(rng, np.ones(len(universities)), home, university_city)]
    firm = firms["id"].to_numpy()[_draw(rng, np.ones(len(firms)), home, firm_city)]
    operators = pd.DataFrame({"subject": np.where(by_university, uni, firm), "predicate": "operates",
                              "object": frame["id"]})
    return _table(frame, _ORG_COLUMNS), operators


def _alliances(rng: np.random.Generator, n: int, cities: pd.DataFrame, sectors: pd.DataFrame, pull: np.ndarray,
               firms: pd.DataFrame, firm_pull: np.ndarray, firm_sector: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Alliances with heavy-tailed membership (Pareto sizes), mostly firms of the
    alliance's sector; the first member leads it and hosts its secretariat."""
    count = max(20, round(n * PER_FIRM["alliances"]))
    city = _draw(rng, pull, np.zeros(count, dtype=np.int64))
    present = np.unique(firm_sector)
    sector = present[rng.integers(len(present), size=count)]
    serial = _serials(count, 4)
    frame = pd.DataFrame({
        "id": "org/synthetic-alliance-" + serial, "class": "Alliance",
        "name_zh": "G60" + _pick(sectors["zh"].tolist(), sector) + "产业样本联盟" + serial,
        "name_en": "G60 " + _pick(sectors["en"].tolist(), sector) + " Industry Sample Alliance " + serial,
        "city": _pick(cities["id"].tolist(), city), "sector": _pick(sectors["id"].tolist(), sector),
        "founded": (2016 + rng.integers(9, size=count)).astype(str),
    })
    raw = rng.pareto(MEMBERSHIP_TAIL, size=count) + 1.0
    sizes = np.clip((raw / raw.sum() * n * PER_FIRM["memberships"]).astype(np.int64), 3, max(3, n // 4))
    alliance = np.repeat(np.arange(count), sizes)
    same_sector = _draw(rng, firm_pull, sector[alliance], firm_sector)
    anyone = _draw(rng, firm_pull, np.zeros(len(alliance), dtype=np.int64))
    member = np.where(rng.random(len(alliance)) < 0.7, same_sector, anyone)
    pairs = pd.DataFrame({"alliance": alliance, "member": member}).drop_duplicates()
    ids, firm_ids = frame["id"].to_numpy(), firms["id"].to_numpy()
    members = pd.DataFrame({"subject": firm_ids[pairs["member"]], "predicate": "memberOf",
                            "object": ids[pairs["alliance"]]})
    lead = pairs.drop_duplicates("alliance")
    leads = pd.DataFrame({"subject": firm_ids[lead["member"]], "predicate": "leads", "object": ids[lead["alliance"]]})
    hosts = pd.DataFrame({"subject": ids[lead["alliance"]], "predicate": "hostedBy", "object": firm_ids[lead["member"]]})
    return _table(frame, _ORG_COLUMNS), pd.concat([members, leads, hosts], ignore_index=True)


def _pairs(rng: np.random.Generator, firms: pd.DataFrame, count: int, source_weights: np.ndarray,
           target_weights: np.ndarray, predicate: str, *, symmetric: bool) -> pd.DataFrame:
    """``count`` draws of firm pairs, without self-ties or repeats (either order, when symmetric)."""
    zero = np.zeros(count, dtype=np.int64)
    a, b = _draw(rng, source_weights, zero), _draw(rng, target_weights, zero)
    keep = a != b
    a, b = a[keep], b[keep]
    key = np.stack([np.minimum(a, b), np.maximum(a, b)] if symmetric else [a, b], axis=1)
    _, first = np.unique(key, axis=0, return_index=True)
    first = np.sort(first)
    ids = firms["id"].to_numpy()
    return pd.DataFrame({"subject": ids[a[first]], "predicate": predicate, "object": ids[b[first]]})


def _branches(rng: np.random.Generator, n: int, cities: pd.DataFrame, pull: np.ndarray, firms: pd.DataFrame,
              firm_city: np.ndarray, capital: np.ndarray) -> pd.DataFrame:
    """Branches of the larger firms in other member cities, the large cities first."""
    count = max(1, round(n * PER_FIRM["branching_firms"]))
    chosen = _top_k(rng, np.sqrt(capital), count)
    per_firm = np.minimum(rng.geometric(0.55, size=count), len(cities) - 1)
    firm = np.repeat(chosen, per_firm)
    home = firm_city[firm]
    weights = np.tile(pull, (len(cities), 1))
    np.fill_diagonal(weights, 0.0)
    cum = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    target = np.minimum((rng.random(len(firm))[:, None] > cum[home]).sum(axis=1), len(cities) - 1)
    frame = pd.DataFrame({"subject": firms["id"].to_numpy()[firm], "predicate": "hasBranchIn",
                          "object": cities["id"].to_numpy()[target]})
    return frame.drop_duplicates(ignore_index=True)


def generate(scale: float, seed: int = 60) -> dict[str, pd.DataFrame]:
    """The tables of a corridor-shaped data set of ``scale`` x 1,000 enterprises, by name
    (sources, places, organizations, relations: the order a build reads them), as
    strings ready to write.

    >>> data = generate(0.1, seed=1)
    >>> int((data["organizations"]["class"] == "Enterprise").sum()), data["sources"]["id"].tolist()
    (100, ['synthetic-benchmark'])
    >>> set(data["relations"]["source"]) == set(data["organizations"]["source"]) == {"synthetic-benchmark"}
    True
    """
    n = round(scale * 1000)
    if n < MIN_FIRMS:
        raise ValueError(f"scale {scale} gives {n} enterprises; expected at least {MIN_FIRMS} (scale >= 0.05)")
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)]
    places = _places()
    cities = places.set_index("id").loc[list(CITY_SHARES)].reset_index()
    cities["share"] = np.array(list(CITY_SHARES.values())) / sum(CITY_SHARES.values())
    sectors = _sectors()
    pull = cities["share"].to_numpy() ** (1.0 + TIE_BIAS)
    firms, firm_city, firm_sector, capital = _enterprises(streams[0], n, cities, sectors)
    # A firm's pull as a tie's target: its city's share ** TIE_BIAS times its capital,
    # so ties lean toward large cities and large firms (a heavy-tailed degree).
    firm_pull = cities["share"].to_numpy()[firm_city] ** TIE_BIAS * capital
    universities, university_city = _universities(streams[1], n, cities, pull)
    platforms, operators = _platforms(streams[2], n, cities, sectors, pull, firms, firm_city, universities,
                                      university_city)
    alliances, membership = _alliances(streams[3], n, cities, sectors, pull, firms, firm_pull, firm_sector)
    ties = streams[4]
    relations = pd.concat([
        pd.DataFrame({"subject": list(CITY_SHARES), "predicate": "partOf", "object": CORRIDOR}),
        _branches(streams[5], n, cities, pull, firms, firm_city, capital),
        operators,
        membership,
        _pairs(ties, firms, round(n * PER_FIRM["cooperation"]), np.ones(n), firm_pull, "cooperatesWith",
               symmetric=True),
        _pairs(ties, firms, round(n * PER_FIRM["investment"]), capital, firm_pull, "investsIn", symmetric=False),
    ], ignore_index=True)
    sources = pd.DataFrame([{"id": SOURCE_ID, "title": SOURCE_TITLE, "publisher": "g60kg benchmarks/generate.py",
                             "date": "", "url": "", "language": "zh", "kind": "synthetic", "notes": NOTE}])
    return {
        "sources": sources,
        "places": places,
        "organizations": pd.concat([firms, universities, platforms, alliances], ignore_index=True),
        "relations": _table(relations, _REL_COLUMNS),
    }


def _mapping(table: str, scale: float, seed: int) -> str:
    """The bundled mapping of ``table``, pointed at the generated CSV (organizations also
    map ``registered_capital``)."""
    spec = yaml.safe_load(_bundled(f"mappings/{table}.yaml").read_text(encoding="utf-8"))
    spec["table"] = f"../{table}.csv"
    if table == "organizations":
        spec["properties"]["registered_capital"] = {"property": "g60:registeredCapital", "datatype": "decimal"}
    head = (f"# Generated benchmark data, not real: benchmarks/generate.py --scale {scale:g} --seed {seed}.\n"
            f"# The bundled mapping g60kg/data/mappings/{table}.yaml, pointed at the generated table.\n")
    return head + yaml.safe_dump(spec, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None)


def write_dataset(scale: float, out: str | Path, *, seed: int = 60) -> list[Path]:
    """Generate and write the data set into ``out``; returns the mapping files, in the
    order a build reads them.

    >>> import tempfile
    >>> [p.name for p in write_dataset(0.05, tempfile.mkdtemp())]
    ['sources.yaml', 'places.yaml', 'organizations.yaml', 'relations.yaml']
    """
    out = Path(out)
    (out / "mappings").mkdir(parents=True, exist_ok=True)
    mappings = []
    for name, frame in generate(scale, seed).items():
        frame.to_csv(out / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")
        mapping = out / "mappings" / f"{name}.yaml"
        mapping.write_text(_mapping(name, scale, seed), encoding="utf-8")
        mappings.append(mapping)
    return mappings


def main(argv: list[str] | None = None) -> int:
    """The command line: ``--scale S --seed N --out DIR``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="thousands of enterprises (1)")
    parser.add_argument("--seed", type=int, default=60, help="random seed (60)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the tables and mappings into")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    mappings = write_dataset(args.scale, args.out, seed=args.seed)
    rows = {p.stem: sum(1 for _ in (args.out / f"{p.stem}.csv").open(encoding="utf-8")) - 1 for p in mappings}
    print(f"generated {', '.join(f'{v:,} {k}' for k, v in rows.items())} rows in {args.out} "
          f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    print(" ".join(str(p) for p in mappings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
