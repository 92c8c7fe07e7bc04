"""News extraction scored against hand-made gold annotations, per split, and timed on a
long article.

Run from the repository root::

    python benchmarks/extraction.py              # test split, dev split and the seed
    python benchmarks/extraction.py --split dev  # one split (tune on dev only)
    python benchmarks/extraction.py --misses     # also list missed and spurious items
    python benchmarks/extraction.py --quick      # skip the 100,000-character timing

The articles are third-party texts kept outside the repository, in ``../shared/news-dev``
(their gold rows are in ``tests/news_gold``) and ``../shared/seeds`` (gold in
``../shared/gold``); a split whose texts are absent is skipped with a message.
Extraction runs with linking disabled, so the curated graph cannot find a mention.

Scores (micro-averaged over the articles of a split):
- entities: distinct mention texts per article, exact match (and with the class too);
- statistics: value and unit (a share of 0.25 equals 25 %), each gold row matched once;
- figure subjects: among matched figures, how often the first proposed subject is the
  gold subject (names mapped to canonical names with the article's gold mentions);
- relations: (subject, predicate, object) on canonical names; gold labels map to the
  ontology's predicates (``g60kg.news.scoring.GOLD_PREDICATES``).

Speed: the dev bodies repeated to 100,000 characters, extracted once; the load average
(``os.getloadavg``) is printed beside the time, since the machine is shared.

This is a benchmark, not a test: it prints tables and PASS/MISS against the targets and
exits 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from tabulate import tabulate

from g60kg.news import extract
from g60kg.news.corpus import Annotated, load_corpus, load_seed
from g60kg.news.scoring import Counts, score
from g60kg.text.normalize import clean_text

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = ROOT / "tests" / "news_gold"
TARGETS = {"test": {"entities": 0.85, "statistics": 0.90, "relations": 0.50, "subjects": 0.70},
           "seed": {"entities": 0.90}}
LONG = 100_000


def corpus(split: str) -> list[Annotated]:
    """The annotated articles of a split, or [] with a message when the texts are absent."""
    if split == "seed":
        text = SHARED / "seeds" / "000_628755de01cfc591.txt"
        if not text.exists() or not (SHARED / "gold").exists():
            print(f"seed: no article or gold under {SHARED}; skipped")
            return []
        return [load_seed(text, SHARED / "gold")]
    if not (SHARED / "news-dev").exists():
        print(f"{split}: no article texts at {SHARED / 'news-dev'}; skipped")
        return []
    return load_corpus(GOLD, SHARED / "news-dev", splits=(split,))


def run_split(split: str, misses: bool) -> dict[str, Counts]:
    totals: dict[str, Counts] = {}
    for item in corpus(split):
        x = extract(item.text, link=None)
        counts = score(x, item.entities, item.statistics, item.relations)
        for name, c in counts.items():
            totals.setdefault(name, Counts()).add(c)
        if misses:
            gold = {clean_text(g["mention"]) for g in item.entities}
            found = {clean_text(m.text) for m in x.mentions}
            print(f"{item.name} missed:", sorted(gold - found))
            print(f"{item.name} spurious:", sorted(found - gold))
            print(f"{item.name} relations:", sorted({(r.subject, r.predicate, r.object) for r in x.relations}))
    return totals


def timing() -> tuple[int, float, tuple[float, float, float]]:
    bodies = [a.text for a in corpus("dev")]
    if not bodies:
        return 0, 0.0, os.getloadavg()
    text = ""
    while len(text) < LONG:
        text += "\n\n".join(bodies) + "\n\n"
    text = text[:LONG]
    load = os.getloadavg()
    started = time.perf_counter()
    extract(text, link=None)
    return len(text), time.perf_counter() - started, load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["test", "dev", "seed"], action="append",
                        help="splits to score (default: test, dev and seed)")
    parser.add_argument("--misses", action="store_true", help="list missed and spurious mentions per article")
    parser.add_argument("--quick", action="store_true", help="skip the long-article timing")
    args = parser.parse_args(argv)
    rows = []
    for split in args.split or ["test", "dev", "seed"]:
        totals = run_split(split, args.misses)
        if not totals:
            continue
        for name, c in totals.items():
            rows.append([split, name, c.pred, c.gold, f"{c.precision:.3f}", f"{c.recall:.3f}",
                         f"{c.f1 if name != 'subjects' else c.recall:.3f}"])
        for name, target in TARGETS.get(split, {}).items():
            value = totals[name].recall if name == "subjects" else totals[name].f1
            print(f"{'PASS' if value >= target else 'MISS'} {split} {name} {value:.3f} (target >= {target:.2f})")
    print(tabulate(rows, headers=["split", "measure", "predicted", "gold", "P", "R", "F1 / accuracy"],
                   tablefmt="github"))
    if not args.quick:
        chars, seconds, load = timing()
        if chars:
            print(f"\n{chars} characters extracted in {seconds:.1f} s "
                  f"(load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; target < 15 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
