"""Leave one source out, end to end: on a constructed corridor whose coordination hub
rests partly on facts that are no claim of the layer (a hall placed in the hub by one
source, an event linked to the corridor by one source), the graph without each source
gives the summary the verdict says it would, naming every source that changes it."""

from __future__ import annotations

from pathlib import Path

import g60kg
from g60kg.analysis.claim import central_node_claim
from g60kg.analysis.wording import verdict_text

CITIES = [f"c{i}" for i in range(9)]
PUBLISHERS = {"s1": "甲报", "s2": "乙报", "s3": "丙报", "hall": "丁报", "link": "戊报"}


def _tables() -> tuple[str, str]:
    entities = ["id,class,name,source,quote", "org/hall,Organization,会议中心,hall,会议中心"]
    entities += [f"corridor/test,Corridor,测试走廊,{s},测试走廊" for s in ("s1", "s2")]
    entities += [f"place/{c},City,{c}市,{s},{c}市" for c in CITIES for s in ("s1", "s2")]
    relations = ["subject,predicate,object,start,source,quote", "org/hall,locatedIn,place/c0,,hall,会议中心在c0市"]
    relations += [f"place/{c},partOf,corridor/test,2016,{s},{c}市加入" for c in CITIES for s in ("s1", "s2")]
    events = [(f"event/h{k}", "org/hall", ("s1", "s2") if k % 2 else ("s2", "s3")) for k in range(6)]
    events += [(f"event/v{k}", f"place/{c}", ("s1", "s3")) for k, c in enumerate(CITIES[1:4])]
    for event, venue, sources in events:
        entities += [f"{event},Event,{event.split('/')[1]}会议,{s},{event.split('/')[1]}会议" for s in sources]
        relations += [f"{event},heldIn,{venue},2020,{s},{event.split('/')[1]}会议在此举行" for s in sources]
        linker = "link" if event == "event/h0" else "s1"
        relations.append(f"corridor/test,participatesIn,{event},2020,{linker},走廊参会")
    return "\n".join(entities) + "\n", "\n".join(relations) + "\n"


def build(folder: Path) -> g60kg.KnowledgeGraph:
    """The corridor as a fresh in-memory graph (written to ``folder`` once)."""
    entities, relations = _tables()
    registry = "sources:\n" + "".join(f"  {s}: {{title: {s}, publisher: {p}, language: zh}}\n"
                                      for s, p in PUBLISHERS.items())
    for name, rows, fields in (("entities", entities, "id: id, class: class, name: name"),
                               ("relations", relations, "subject: subject, predicate: predicate, object: object")):
        (folder / f"{name}.csv").write_text(rows, encoding="utf-8")
        properties = "properties:\n  start: {property: g60:startDate, datatype: date}\n" if name == "relations" else ""
        (folder / f"{name}.mapping.yaml").write_text(
            f"kind: {name}\nfields: {{{fields}, source: source, quote: quote}}\n{properties}{registry}", encoding="utf-8")
    kg = g60kg.open_graph("memory")
    report = kg.build([folder / "entities.csv", folder / "relations.csv"], bundled=False, validate=False)
    assert report.issues == []
    return kg


def test_every_source_whose_removal_changes_the_summary_is_named(tmp_path: Path) -> None:
    verdict = central_node_claim(build(tmp_path), city="place/c0", network="g60corridor:test", n=200)
    assert verdict.summary == "holds"
    # The hall's seat and the corridor's link to one event are no claim of the layer, yet they decide it.
    assert {"hall", "link"} <= set(verdict.fragile)
    text = verdict_text(verdict, lang="en")
    for source in PUBLISHERS:
        kg = build(tmp_path)
        kg.remove_source(source)
        without = central_node_claim(kg, city="place/c0", network="g60corridor:test", n=200).summary
        assert without == verdict.fragile.get(source, verdict.summary), source
        assert (f"{source} → " in text) == (without != verdict.summary), source
