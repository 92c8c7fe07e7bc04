"""Train the news extractor's name model (``g60kg/news/models/mentions.crfsuite``) from
the project's annotations: the dev split of ``tests/news_gold`` and the seed's gold,
with the article texts from ``../shared`` (third-party, outside the repository).

Run from the repository root::

    python scripts/train_news_model.py             # write the shipped model
    python scripts/train_news_model.py --folds 7   # leave-articles-out scores on dev

Training is deterministic: the same annotations and texts give the same model. The test
split is never read.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from g60kg.news.corpus import Annotated, load_corpus, load_seed
from g60kg.news.sequence import MODEL, train, training_sequences

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def annotated() -> list[Annotated]:
    items = load_corpus(ROOT / "tests" / "news_gold", SHARED / "news-dev", splits=("dev",))
    return items + [load_seed(SHARED / "seeds" / "000_628755de01cfc591.txt", SHARED / "gold")]


def sequences(items: list[Annotated]) -> list:  # type: ignore[type-arg]
    return [s for item in items for s in training_sequences(item.text, [g["mention"] for g in item.entities])]


def cross_validate(items: list[Annotated], folds: int) -> None:
    from g60kg.news import extract
    from g60kg.news.scoring import Counts, score

    dev = [i for i in items if i.split == "dev"]
    totals: dict[str, Counts] = {}
    for k in range(folds):
        held = dev[k::folds]
        with tempfile.TemporaryDirectory() as tmp:
            model = train(sequences([i for i in items if i not in held]), Path(tmp) / "fold.crfsuite")
            for item in held:
                x = extract(item.text, link=None, model=model)
                for name, c in score(x, item.entities, item.statistics, item.relations).items():
                    totals.setdefault(name, Counts()).add(c)
    for name, c in totals.items():
        print(f"{name:15s} P {c.precision:.3f} R {c.recall:.3f} F1 {c.f1:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=0, help="cross-validate on dev instead of writing the model")
    parser.add_argument("--out", type=Path, default=MODEL)
    args = parser.parse_args(argv)
    if not (SHARED / "news-dev").exists():
        print(f"no article texts at {SHARED / 'news-dev'}: cannot train")
        return 1
    items = annotated()
    if args.folds:
        cross_validate(items, args.folds)
        return 0
    path = train(sequences(items), args.out)
    print(f"wrote {path} ({path.stat().st_size} bytes) from {len(items)} articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
