"""A synthetic enterprise list shaped like a user's own table, for benchmarks only.

The rows are generated, not real firms: every name carries the word 样本 (sample) and a
serial number, and the inline source is titled as a synthetic benchmark table. The same
``rows`` and ``seed`` always give byte-identical files.

>>> frame = make_firms(3)
>>> list(frame.columns)
['企业名称', '城市', '行业', '成立日期', '注册资本万元', '来源']
>>> frame["企业名称"].is_unique, frame["来源"].unique().tolist()
(True, ['synthetic-benchmark-firms'])
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["CITIES", "SECTORS", "SOURCE_ID", "SOURCE_TITLE", "make_firms", "mapping_yaml", "write_firms"]

# The nine corridor members as a user's list names them, with a skewed share of firms.
CITIES: dict[str, float] = {
    "杭州市": 0.22, "苏州市": 0.20, "合肥市": 0.15, "松江区": 0.12, "嘉兴市": 0.08,
    "芜湖市": 0.07, "金华市": 0.06, "湖州市": 0.05, "宣城市": 0.05,
}
# Sector ids of the SKOS scheme (g60kg/ontology/sectors.ttl) and the trade word a name uses.
SECTORS: dict[str, tuple[float, str]] = {
    "ai": (0.20, "智能"), "integrated-circuits": (0.15, "微电子"), "biomedicine": (0.15, "生物医药"),
    "high-end-equipment": (0.18, "精密装备"), "new-energy": (0.12, "新能源"),
    "new-materials": (0.12, "新材料"), "new-energy-vehicles": (0.08, "新能源汽车"),
}
SOURCE_ID = "synthetic-benchmark-firms"
SOURCE_TITLE = "synthetic benchmark table（合成基准测试数据，仅用于计时，非真实企业）"
_FIRST = list("华中长新东瑞恒博创智凯远鼎启宏联正嘉安泰")
_SECOND = list("科信达晟益辰源通海星云峰盛合明德兴和润航")
_FORMS = ["科技", "技术", "实业", "发展", "制造"]


def make_firms(rows: int, *, seed: int = 60) -> pd.DataFrame:
    """``rows`` synthetic enterprises with unique names, as strings like a CSV holds them.

    >>> make_firms(5).iloc[0].tolist()
    ['泰峰精密装备科技样本000001有限公司', '苏州市', 'high-end-equipment', '1997-05-02', '1489.55', 'synthetic-benchmark-firms']
    """
    rng = np.random.default_rng(seed)
    city_names = list(CITIES)
    city_weights = np.array(list(CITIES.values()))
    sector_ids = list(SECTORS)
    sector_weights = np.array([w for w, _ in SECTORS.values()])
    city = rng.choice(len(city_names), size=rows, p=city_weights / city_weights.sum())
    sector = rng.choice(len(sector_ids), size=rows, p=sector_weights / sector_weights.sum())
    first = rng.integers(len(_FIRST), size=rows)
    second = rng.integers(len(_SECOND), size=rows)
    form = rng.integers(len(_FORMS), size=rows)
    trade = [SECTORS[s][1] for s in sector_ids]
    names = [
        f"{_FIRST[a]}{_SECOND[b]}{trade[t]}{_FORMS[f]}样本{n:06d}有限公司"
        for n, (a, b, t, f) in enumerate(zip(first.tolist(), second.tolist(), sector.tolist(), form.tolist()), 1)
    ]
    start, end = np.datetime64("1990-01-01"), np.datetime64("2024-12-31")
    days = rng.integers(0, int((end - start).astype(int)) + 1, size=rows)
    founded = np.datetime_as_string(start + days.astype("timedelta64[D]"), unit="D")
    # Registered capital in 万元: log-normal around 1,000万; about 40% round hundreds.
    capital = np.exp(rng.normal(np.log(1000.0), 1.2, size=rows))
    round_hundreds = rng.random(rows) < 0.4
    capital_text = [f"{max(100, round(c / 100) * 100):.0f}" if r else f"{c:.2f}"
                    for c, r in zip(capital.tolist(), round_hundreds.tolist())]
    return pd.DataFrame({
        "企业名称": names,
        "城市": np.array(city_names, dtype=object)[city],
        "行业": np.array(sector_ids, dtype=object)[sector],
        "成立日期": founded.astype(object),
        "注册资本万元": capital_text,
        "来源": SOURCE_ID,
    })


def mapping_yaml(*, table: str = "firms.csv", klass: str = "Enterprise") -> str:
    """The g60kg mapping of the generated table.

    >>> "g60:registeredCapital" in mapping_yaml()
    True
    """
    return (
        "# Synthetic rows for timing only (benchmarks/firms.py); not real enterprises.\n"
        f"table: {table}\n"
        "kind: entities\n"
        "fields: {name: 企业名称, source: 来源}\n"
        f"defaults: {{class: {klass}}}\n"
        "properties:\n"
        "  城市: {property: g60:locatedIn, ref: place}\n"
        "  行业: {property: g60:sector, ref: sector}\n"
        "  成立日期: {property: g60:foundedIn, datatype: date}\n"
        "  注册资本万元: {property: g60:registeredCapital, datatype: decimal}\n"
        "sources:\n"
        f"  {SOURCE_ID}: {{title: \"{SOURCE_TITLE}\", publisher: g60kg benchmarks, language: zh}}\n"
    )


def write_firms(rows: int, folder: str | Path, *, seed: int = 60) -> tuple[Path, Path]:
    """Write ``firms.csv`` (UTF-8) and ``firms.mapping.yaml`` beside it; returns both paths.

    >>> import tempfile
    >>> csv, mapping = write_firms(5, tempfile.mkdtemp())
    >>> csv.name, mapping.name, len(csv.read_text(encoding="utf-8").splitlines())
    ('firms.csv', 'firms.mapping.yaml', 6)
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    csv = folder / "firms.csv"
    make_firms(rows, seed=seed).to_csv(csv, index=False, encoding="utf-8", lineterminator="\n")
    mapping = folder / "firms.mapping.yaml"
    mapping.write_text(mapping_yaml(table=csv.name), encoding="utf-8")
    return csv, mapping
