"""Precision, recall and F1 of an extraction against hand-made gold rows: entities by
distinct mention text, statistics by value and unit, the subject of each matched
figure, and relations as (subject, predicate, object) on canonical names.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from g60kg.text.normalize import clean_texts

__all__ = ["Counts", "GOLD_PREDICATES", "score"]

# The gold's relation labels as (ontology predicate, inverted?).
GOLD_PREDICATES: dict[str, tuple[str, bool]] = {
    "located_in": ("locatedIn", False), "part_of": ("partOf", False), "designated_by": ("designatedBy", False),
    "awarded_title_by": ("designatedBy", False), "designates": ("designatedBy", True),
    "implements": ("implements", False), "established": ("establishes", False), "founded": ("establishes", False),
    "launched": ("launches", False), "cooperates_with": ("cooperatesWith", False), "supplies": ("suppliesTo", False),
    "operates": ("operates", False), "central_node_of": ("centralNodeOf", False), "pilot_of": ("participatesIn", False),
    "participates_in": ("participatesIn", False), "member_of": ("memberOf", False), "leads": ("leads", False),
    "supports": ("supports", False), "achieved_in": ("achievedBy", False), "signed": ("signs", False),
    "serves": ("serves", False), "anchored_on": ("anchoredOn", False), "publishes": ("publishes", False),
    "hosts": ("hosts", False), "held_in": ("heldIn", False), "designated_as": ("designatedAs", False),
    "adjacent_to": ("adjacentTo", False), "affiliated_with": ("affiliatedWith", False),
    "signed_project_with": ("cooperatesWith", False),
}
_SYMMETRIC = {"cooperatesWith", "adjacentTo"}


@dataclass
class Counts:
    """True positives among predictions and among gold rows, and both totals."""

    tp_pred: int = 0
    pred: int = 0
    tp_gold: int = 0
    gold: int = 0

    def add(self, other: Counts) -> None:
        self.tp_pred += other.tp_pred
        self.pred += other.pred
        self.tp_gold += other.tp_gold
        self.gold += other.gold

    @property
    def precision(self) -> float:
        return self.tp_pred / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _value(value: Decimal | str, unit: str) -> tuple[Decimal, str]:
    """A figure comparable across units: a share of 1 is 100 %."""
    number = Decimal(str(value))
    if unit == "share":
        return (number * 100).quantize(Decimal("0.01")), "%"
    return number.quantize(Decimal("0.01")) if number == number.quantize(Decimal("0.01")) else number, unit


def score(x: Any, entities: list[dict[str, str]], statistics: list[dict[str, str]],
          relations: list[dict[str, str]]) -> dict[str, Counts]:
    """Counts of one extraction ``x`` (``g60kg.news.extract``) against gold rows with
    the columns of the project's news gold. Keys: ``entities``, ``entities typed``
    (the class must match too), ``statistics``, ``subjects`` (tp_gold: matched figures
    whose first subject is the gold one; gold: matched figures) and ``relations``.

    >>> from g60kg.news import extract
    >>> x = extract("星海科技有限公司在松江成立。", link=None)
    >>> gold = [{"mention": "星海科技有限公司", "canonical_name_zh": "星海科技有限公司", "type": "Enterprise"},
    ...         {"mention": "松江", "canonical_name_zh": "松江区", "type": "District"}]
    >>> rel = [{"subject": "星海科技有限公司", "relation": "located_in", "object": "松江区"}]
    >>> c = score(x, gold, [], rel); c["entities"].f1, c["relations"].f1
    (1.0, 1.0)
    """
    from g60kg.loaders.vocabulary import vocabulary

    mentions = clean_texts([g["mention"] for g in entities])
    canonical = dict(zip(mentions, clean_texts([g["canonical_name_zh"] for g in entities])))
    canonical.update({c: c for c in canonical.values()})
    gold_types = dict(zip(mentions, (g["type"].split("/")[0] for g in entities)))
    predicted: dict[str, str] = {}
    for entity in x.entities:
        for m in entity.mentions:
            predicted.setdefault(clean_texts([m.text])[0], entity.cls)
    vocab = vocabulary()

    def type_ok(p: str, g: str) -> bool:
        if g == "Organization" and p == "Corridor" or p == g:
            return True
        return p in vocab.classes and g in vocab.classes and vocab.is_a(p, g)

    out = {"entities": Counts(len(set(predicted) & set(gold_types)), len(predicted),
                              len(set(predicted) & set(gold_types)), len(gold_types))}
    typed = sum(1 for p, c in predicted.items() if p in gold_types and type_ok(c, gold_types[p]))
    out["entities typed"] = Counts(typed, len(predicted), typed, len(gold_types))

    def name(text: str) -> str:
        cleaned = clean_texts([text])[0]
        return canonical.get(cleaned, cleaned)

    unmatched = list(range(len(statistics)))
    gold_values = [_value(g["value"], g["unit"]) for g in statistics]
    matched = right = 0
    for stat in x.statistics:
        key = _value(stat.quantity.value, stat.quantity.unit)
        hits = [i for i in unmatched if gold_values[i] == key]
        if not hits:
            continue
        first = name(stat.subjects[0].name) if stat.subjects else ""
        best = next((i for i in hits if first == name(statistics[i]["subject"])), hits[0])
        unmatched.remove(best)
        matched += 1
        right += first == name(statistics[best]["subject"])
    out["statistics"] = Counts(matched, len(x.statistics), matched, len(statistics))
    out["subjects"] = Counts(right, matched, right, matched)

    def key(s: str, p: str, o: str) -> tuple[str, str, str]:
        s, o = name(s), name(o)
        return (p, *sorted((s, o))) if p in _SYMMETRIC else (s, p, o)  # type: ignore[return-value]

    gold_keys = []
    for g in relations:
        predicate, inverted = GOLD_PREDICATES.get(g["relation"], (g["relation"], False))
        s, o = (g["object"], g["subject"]) if inverted else (g["subject"], g["object"])
        gold_keys.append(key(s, predicate, o))
    found = {key(r.subject, r.predicate, r.object) for r in x.relations}
    gold_set = set(gold_keys)
    out["relations"] = Counts(len(found & gold_set), len(found), len(gold_set & found), len(gold_set))
    return out
