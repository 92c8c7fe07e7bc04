"""Helpers shared by the derive scripts: reading upstream files with clear errors,
the corridor's member places, and writing the derived CSV tables.

Every derive script reads ONE upstream data set (a file or a folder of a package),
keeps only the rows about the G60 corridor and writes a small table into
``g60kg/data/datasets/``. When the upstream layout differs from what a script expects,
it stops with a :class:`LayoutError` naming the file, the sheet and the column.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "g60kg" / "data"
OUT = DATA / "datasets"
PLACES_CSV = DATA / "places.csv"
ORGS_CSV = DATA / "organizations.csv"
ADMIN_CSV = OUT / "admin_divisions.csv"

# The nine members: the GB/T 2260 code of each and the id it has in places.csv.
MEMBERS = {
    "310117": "place/songjiang",
    "330400": "place/jiaxing",
    "330100": "place/hangzhou",
    "330700": "place/jinhua",
    "320500": "place/suzhou",
    "330500": "place/huzhou",
    "341800": "place/xuancheng",
    "340200": "place/wuhu",
    "340100": "place/hefei",
}
MEMBER_CITY_CODES = [c for c in MEMBERS if c != "310117"]  # the eight prefecture-level members
SHANGHAI_CODE = "310000"


class LayoutError(SystemExit):
    """The upstream file does not look as the script expects (exit status 2)."""

    def __init__(self, file: str | Path, message: str, *, sheet: str | None = None, column: str | None = None):
        where = str(file)
        if sheet is not None:
            where += f" [sheet {sheet!r}]"
        if column is not None:
            where += f" [column {column!r}]"
        print(f"error: {where}: {message}", file=sys.stderr)
        super().__init__(2)


def require_columns(file: str | Path, columns: list[str], expected: list[str], *, sheet: str | None = None) -> None:
    """Stop with a LayoutError naming the first expected column that is missing."""
    for name in expected:
        if name not in columns:
            raise LayoutError(file, f"expected a column {name!r}; found {columns}", sheet=sheet, column=name)


def read_csv_rows(path: str | Path, expected: list[str]) -> list[dict[str, str]]:
    """The rows of a UTF-8 CSV (BOM allowed), after checking its header."""
    path = Path(path)
    if not path.is_file():
        raise LayoutError(path, "no such file")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        require_columns(path, list(reader.fieldnames or []), expected)
        return list(reader)


def write_csv(path: Path, header: list[str], rows: list[dict[str, object]]) -> None:
    """Write the derived table (UTF-8, LF line ends, every value as text)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in header})
    print(f"wrote {len(rows)} rows to {path}", file=sys.stderr)


def bundled_places() -> dict[str, dict[str, object]]:
    """Per place id of the bundled places.csv: its name, and whether it already has
    coordinates or a division code (the build allows one value of each per place)."""
    info: dict[str, dict[str, object]] = {}
    for row in read_csv_rows(PLACES_CSV, ["id", "name_zh", "admin_code", "lat", "lon"]):
        entry = info.setdefault(row["id"], {"name": row["name_zh"], "coords": False, "code": ""})
        entry["coords"] = entry["coords"] or bool(row["lat"] and row["lon"])
        entry["code"] = entry["code"] or row["admin_code"]
    return info


def admin_table() -> list[dict[str, str]]:
    """The derived administrative divisions (run china_division.py first)."""
    if not ADMIN_CSV.is_file():
        raise LayoutError(ADMIN_CSV, "missing: run scripts/derive/china_division.py first")
    return read_csv_rows(ADMIN_CSV, ["id", "name_zh", "parent", "admin_code", "admin_level"])
