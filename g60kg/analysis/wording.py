"""The central-node verdict in plain words, in Chinese or English: each layer's finding
with its deciding claims and sources first, the summary, and what data would change it.
"""

from __future__ import annotations

from typing import Any

from g60kg.analysis.claim import ClaimVerdict
from g60kg.analysis.layers import LayerFinding

__all__ = ["LANGUAGES", "LAYER_NAMES", "STANDING_NAMES", "in_language", "verdict_text", "what_would_change",
           "deciding_rows", "timeline_text"]

LANGUAGES = ("zh", "en")
LAYER_NAMES = {
    "coordination": ("协调层(谁主办走廊会议、谁是联合机构与秘书处所在地、谁接纳飞地)",
                     "coordination (who hosts the corridor's events, seats its joint bodies and secretariats, hosts enclaves)"),
    "alliance-lead": ("联盟牵头层(谁牵头各产业联盟)", "alliance lead (who leads the corridor's alliances)"),
    "institutional": ("制度联系层(协议、共同机制)", "institutional (agreements, shared mechanisms)"),
    "enterprise": ("企业联系层(分支、投资、飞地园区)", "enterprise (branches, investment, enclave parks)"),
    "knowledge": ("知识联系层(合作专利、合作论文)", "knowledge (co-patents, co-papers)"),
    "infrastructure": ("基础设施层(高速、铁路)", "infrastructure (expressways, railways)"),
}
STANDING_NAMES = {
    "holds": ("成立", "holds"),
    "holds on thin evidence": ("证据单薄地成立", "holds on thin evidence"),
    "holds in some layers": ("仅在部分层成立", "holds in some layers"),
    "no single centre": ("没有单一中心", "no single centre"),
    "cannot tell": ("证据不足,无法判断", "cannot tell"),
    "leans elsewhere": ("倾向于另一城市", "leans to another city"),
    "does not hold": ("不成立", "does not hold"),
}
ROLE_NAMES = {"host": ("主办", "host of"), "seat": ("所在地", "seat of"), "enclave host": ("飞地所在地", "enclave host of"),
              "lead": ("牵头", "lead of"), "member": ("参与", "member of")}


def in_language(pair: tuple[Any, Any], lang: str) -> Any:
    """The Chinese (``zh``) or English (any other ``lang``) one of a (Chinese, English) pair.

    >>> in_language(STANDING_NAMES["holds"], "zh"), in_language(STANDING_NAMES["holds"], "en")
    ('成立', 'holds')
    """
    return pair[0] if lang == "zh" else pair[1]


def _mechanism(verdict: ClaimVerdict, mechanism: str, lang: str) -> str:
    """A mechanism's name: an entity's, or for a one-mode tie (``layer|kind|...``) its hub's
    name or the two ends of a direct tie."""
    parts = mechanism.split("|")
    if len(parts) < 3:
        return verdict.names.get(mechanism, mechanism)
    if parts[1] == "direct" and len(parts) == 5:
        ends = [verdict.names.get(x) or verdict.label(x, lang) for x in (parts[2], parts[4])]
        return f"{ends[0]} {parts[3].split(':')[-1]} {ends[1]}"
    return verdict.names.get(parts[-1]) or verdict.label(parts[-1], lang)


def deciding_rows(verdict: ClaimVerdict, finding: LayerFinding, *, lang: str = "zh", limit: int = 8) -> list[dict]:
    """The claims behind a layer's top city (its centre, or the city tested when the
    layer has none), surest first: mechanism, role, year, probability, sources, quote."""
    city = finding.centre or finding.top or verdict.city
    rows = []
    for r in finding.deciding(city).head(limit).itertuples():
        rows.append({"city": verdict.label(city, lang), "role": in_language(ROLE_NAMES.get(r.role, (r.role, r.role)), lang),
                     "mechanism": _mechanism(verdict, r.mechanism, lang),
                     "year": "" if r.year != r.year else str(int(r.year)), "probability": f"{r.probability:.2f}",
                     "sources": ", ".join(r.sources), "quote": r.quote or ""})
    return rows


_LINE = {
    "head": ("{name}:{city}——{standing}。", "{name}: {city} — {standing}."),
    "thin": ("只有{m}个机制、{s}个独立来源(至少需要{min_m}个和{min_s}个)。",
             " Only {m} mechanism(s) and {s} independent source(s) (at least {min_m} and {min_s} are needed)."),
    "top": ("得分最高:{top}({score:g}/{total:g});在模型的重抽样中居首的比例 {share:.0%};置换检验 p = {p:.3f}"
            "(按{family}层校正后 {adjusted:.3f})。",
            " Top: {top} ({score:g} of {total:g}); first in {share:.0%} of the model's replicates; permutation "
            "p = {p:.3f} ({adjusted:.3f} corrected for {family} layers)."),
    "none": ("没有城市单独居首;置换检验 p = {p:.3f}。", " No city is first alone; permutation p = {p:.3f}."),
    "centre": ("中心:{top}。", " Centre: {top}."),
    "leans": ("倾向于{top},但证据单薄。", " Leans to {top}, on thin evidence."),
    "pivotal": ("依赖这些来源(去掉任一个,第一名或其显著性即改变):{sources}。",
                " It rests on these sources (dropping any one changes who is first, or whether the lead is more than "
                "chance): {sources}."),
    "baseline": ("{n}个全体成员共有的机制计为基线,不计入联系。",
                 " {n} mechanism(s) every member shares count as a baseline, not as ties."),
}


def _layer_line(verdict: ClaimVerdict, f: LayerFinding, lang: str) -> str:
    def say(key: str, **values: object) -> str:
        return in_language(_LINE[key], lang).format(**values)

    top = f.centre or f.top
    line = say("head", name=in_language(LAYER_NAMES.get(f.layer, (f.layer, f.layer)), lang),
               city=verdict.label(verdict.city, lang),
               standing=in_language(STANDING_NAMES[verdict.standings[f.layer]], lang))
    if f.outcome == "too little evidence":
        return line + say("thin", m=f.mechanisms, s=f.sources, min_m=verdict.settings["min_mechanisms"],
                          min_s=verdict.settings["min_sources"])
    if f.outcome in ("centre", "leans"):
        line += say(f.outcome, top=verdict.label(top, lang))
    if top:
        line += say("top", top=verdict.label(top, lang), score=f.scores.get(top, 0), total=sum(f.scores.values()),
                    share=f.share.get(top, 0), p=f.p_value, family=len(verdict.findings), adjusted=f.p_adjusted)
    else:
        line += say("none", p=f.p_value)
    if f.pivotal:
        line += say("pivotal", sources=", ".join(f.pivotal))
    if f.baseline:
        line += say("baseline", n=len(f.baseline))
    return line


def what_would_change(verdict: ClaimVerdict, *, lang: str = "zh") -> list[str]:
    """The data that would change the verdict, named as facts to add (with the
    ontology's predicates), not as methods."""
    zh = lang == "zh"
    items = []
    members = len(verdict.findings[0].members) if verdict.findings else 0
    if members < 3:
        items.append(f"{verdict.network} 的成员名单(g60:memberOf 或 g60:partOf),附可引用的来源" if zh else
                     f"The members of {verdict.network} (g60:memberOf or g60:partOf), from a citable source")
    for f in verdict.findings:
        if f.outcome == "too little evidence" and f.layer in ("coordination", "alliance-lead"):
            what = ("走廊会议的举办地(g60:heldIn)及其与走廊的联系(g60:participatesIn)、联合机构与秘书处的所在地(g60:hostedBy, g60:locatedIn)"
                    if f.layer == "coordination" else "各联盟的牵头城市或牵头单位(g60:leads)及其所在城市")
            what_en = ("venues of corridor meetings (g60:heldIn) linked to the corridor (g60:participatesIn), seats of joint "
                       "bodies and secretariats (g60:hostedBy, g60:locatedIn)" if f.layer == "coordination" else
                       "the lead city, or lead body and its city, of each alliance (g60:leads)")
            items.append(f"{in_language(LAYER_NAMES[f.layer], lang)}:{what}" if zh else f"{f.layer}: {what_en}")
        for source in f.pivotal:
            items.append(f"{f.layer}:为仅由 {source} 支持的事实找到第二个独立来源" if zh else
                         f"{f.layer}: a second independent source for the facts that rest on {source} alone")
    if verdict.unlinked_events:
        names = "、".join(verdict.names.get(e, e) for e in verdict.unlinked_events)
        items.append(f"这些活动有举办地,但数据没有把它们与走廊联系起来(应由成员城市、走廊或其机构 g60:participatesIn):{names}" if zh
                     else f"Events with a venue but no link to the corridor in the data (a member, the corridor or one of "
                          f"its bodies g60:participatesIn them): {names}")
    for r in verdict.refused:
        role = {"host": "举办地", "seat": "所在地", "lead": "牵头方"}[r["role"]] if zh else ROLE_NAMES[r["role"]][1]
        mechanism, place = verdict.names.get(r["mechanism"], r["mechanism"]), verdict.label(r["place"], lang)
        districts = "、".join(verdict.label(d, lang) for d in r["districts"])
        items.append(f"{mechanism}的{role}只记为{place}:区级分辨率下不计给{districts}(不做分摊);注明区即可计入,"
                     f"或用 --resolution shanghai 计给{place}" if zh else
                     f"{role} {mechanism} is given only as {place}: at district resolution it is not counted for "
                     f"{districts} (nothing is apportioned); its district would count it, or --resolution shanghai "
                     f"counts it for {place}")
    items.append("联席会议办公室各城市派驻人员数:图中有总数观测,但没有表示派出城市的谓词(如 g60:staffFrom)" if zh else
                 "Staff of the joint office by seconding city: the graph has the office's staff counts as observations but no "
                 "predicate for the city a staff member comes from (such as g60:staffFrom)")
    others = verdict.claims[verdict.claims["place"] != verdict.city] if not verdict.claims.empty else verdict.claims
    if others.empty:
        items.append("已发表的相反说法(例如把苏州、杭州、合肥称为走廊知识中心的研究),作为 g60:centralNodeOf 记录,附来源与原文" if zh else
                     "Published counter-claims (studies naming Suzhou, Hangzhou or Hefei as knowledge hubs of the corridor), "
                     "recorded as g60:centralNodeOf with their source and quote: none is in the graph")
    return items


def verdict_text(verdict: ClaimVerdict, *, lang: str = "zh") -> str:
    """The verdict as plain text in ``lang`` (``zh`` or ``en``).

    >>> import g60kg
    >>> from g60kg.analysis.claim import central_node_claim
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> "What would change this verdict" in verdict_text(central_node_claim(kg, n=100), lang="en")
    True
    """
    zh = lang == "zh"
    city = verdict.label(verdict.city, lang)
    lines = []
    for r in verdict.claims.itertuples():
        lines.append((f"说法({r.source}):“{r.quote}”" if zh else f"Claim ({r.source}): “{r.quote}”"))
    scope = verdict.resolution
    if scope == "shanghai" and verdict.city in verdict.labels and any(
            r.place != verdict.city for r in verdict.claims.itertuples()):
        lines.append(f"在上海市分辨率下,各区合并为{city};被检验的是“{city}是协调中心”,原说法说的是区。" if zh else
                     f"At Shanghai resolution every district is merged into {city}: the claim tested is that {city} is "
                     "the hub of coordination; the seed said it of a district.")
    when = (f",截至{verdict.as_of}年" if zh else f", facts up to {verdict.as_of}") if verdict.as_of else ""
    lines.append((f"检验:{city}是否为 {verdict.network} 的协调中心({'区' if scope == 'district' else '市'}级分辨率{when})。" if zh else
                  f"Tested: is {city} the hub of coordination of {verdict.network} ({scope} resolution{when})?"))
    lines.append((f"结论:{in_language(STANDING_NAMES[verdict.summary], lang)}(由协调层与联盟牵头层决定;少于"
                  f"{verdict.settings['min_sources']}个独立来源的层不参与决定)" if zh else
                  f"Summary: {in_language(STANDING_NAMES[verdict.summary], lang).upper()} (decided by the coordination and "
                  f"alliance-lead layers; a layer with fewer than {verdict.settings['min_sources']} independent sources "
                  "cannot decide)"))
    members = len(verdict.findings[0].members) if verdict.findings else 0
    if members < 3:
        lines.append(f"数据只列出 {verdict.network} 的{members}个成员:少于三个成员的网络没有可检验的中心。" if zh else
                     f"The data lists {members} member place(s) of {verdict.network}: a network of fewer than three "
                     "has no centre to test.")
    if verdict.fragile:
        changes = "; ".join(f"{source} → {in_language(STANDING_NAMES[after], lang)}" for source, after in verdict.fragile.items())
        lines.append(f"去掉其中任一来源,结论即改变:{changes}" if zh else
                     f"Dropping any one of these sources changes the summary: {changes}")
    else:
        lines.append("去掉任何单一来源,结论都不变。" if zh else "Dropping any single source leaves the summary as it is.")
    lines.append("各层:" if zh else "Layers:")
    for f in verdict.findings:
        lines.append("  - " + _layer_line(verdict, f, lang))
        for row in deciding_rows(verdict, f, lang=lang, limit=5 if f.outcome in ("centre", "leans") else 0):
            lines.append(f"      {row['role']} {row['mechanism']} ({row['year'] or '—'}, p={row['probability']}): "
                         f"{row['sources']}" + (f" “{row['quote'][:90]}”" if row["quote"] else ""))
    if verdict.origin:
        o = verdict.origin
        lines.append((f"起点:{verdict.label(o['city'])}于{o['year']}年发起(来源:{', '.join(o['sources'])})。这是有日期的事实,不是联系。"
                      if zh else f"Origin: {verdict.label(o['city'], 'en')} began it in {o['year']} (sources: "
                      f"{', '.join(o['sources'])}). A dated fact, not a tie."))
    lines.append("什么数据会改变这个结论:" if zh else "What would change this verdict:")
    lines += [f"  - {item}" for item in what_would_change(verdict, lang=lang)]
    s = verdict.settings
    lines.append((f"方法:每层{s['n']}次重抽样(单一来源可靠度 {s['reliability']}),置换检验 α={s['alpha']},种子 {s['seed']};"
                  f"{s['seconds']:.1f} 秒。见 docs/analysis.md。" if zh else
                  f"Method: {s['n']} replicates per layer (a single source is right with probability {s['reliability']}), "
                  f"permutation tests at α={s['alpha']}, seed {s['seed']}; {s['seconds']:.1f} s. See docs/analysis.md."))
    return "\n".join(lines)


def timeline_text(verdict: ClaimVerdict, *, lang: str = "zh") -> str:
    """Each member's score per layer and year (as of the end of each year), one table per
    layer that has any score; a member that had not joined yet shows "·".

    >>> import g60kg
    >>> from g60kg.analysis.claim import central_node_claim
    >>> kg = g60kg.open_graph("memory"); _ = kg.build()
    >>> print(timeline_text(central_node_claim(kg, n=50), lang="en").splitlines()[0])
    Timeline: each member's score per layer, as of the end of each year (· = not yet a member)
    """
    zh = lang == "zh"
    lines = ["时间线:各成员每层得分(截至各年年底;· 表示尚未加入)" if zh else
             "Timeline: each member's score per layer, as of the end of each year (· = not yet a member)"]
    t = verdict.timeline
    joined = verdict.settings.get("joined", {})
    for layer, part in t.groupby("layer", sort=False):
        if not part["score"].any():
            continue
        wide = part.pivot(index="city", columns="year", values="score")
        lines.append(f"{in_language(LAYER_NAMES.get(layer, (layer, layer)), lang)}")
        width = max(len(verdict.label(c, lang)) for c in wide.index) + 2
        lines.append(" " * width + " ".join(f"{y:>5}" for y in wide.columns))
        for city, row in wide.iterrows():
            cells = ["    ·" if joined.get(city, 0) > year else f"{value:>5g}" for year, value in row.items()]
            lines.append(f"{verdict.label(city, lang):<{width}}" + " ".join(cells))
    return "\n".join(lines)
