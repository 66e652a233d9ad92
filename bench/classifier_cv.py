"""Cross-validate the learned heads on the training rows, with and without the writers' rows.

Usage: python bench/classifier_cv.py [--folds 4] [--seed 7]

The train split and the writers' rows (scoring/data/writers.jsonl) are cut into the same
folds. For each fold, two heads are trained on the other folds, as `train.py` does (composed
rows included): "train only" on the train split's rows, "with writers" on those plus the
writers' rows; both classify the held-out fold. Figures are printed for the held-out train-split
rows and the held-out writers' rows, side by side. The test split and the blind set are never
touched: this is how a change to the training data is judged before any blind look.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from classifier_metrics import labelled_figures  # noqa: E402

from scoring.classifier import api, heads, train  # noqa: E402

SHOWN = ("polarity3_acc", "polarity4_acc", "complaint_f1", "aspect_macro_f1", "mixed_recall")


def _fit(rows: list[dict], path: Path) -> None:
    extra = train.compose(rows, train.COMPOSED)
    weights = [1.0] * len(rows) + [train.COMPOSED_WEIGHT] * len(extra)
    train.write_heads(train.train_heads(rows + extra, weights=weights), path)


def _predict(rows: list[dict], path: Path) -> list[dict]:
    heads.use(path)
    try:
        out = []
        for row in rows:
            c = api.classify(row["text"])
            out.append({"polarity": c.polarity, "complaint": c.complaint,
                        "aspects": dict(c.aspects)})
        return out
    finally:
        heads.use(None)


def cross_validate(folds: int, seed: int) -> dict[str, dict[str, list]]:
    """Return {config: {part: [gold rows, predictions]}} over all held-out folds."""
    own, writers = train.project_split("train"), train.project_split("writers")
    rng = random.Random(seed)
    shuffled = rng.sample(own + writers, len(own) + len(writers))
    fold_of = {id(r): i % folds for i, r in enumerate(shuffled)}
    result: dict[str, dict[str, list]] = {
        c: {"train split": [[], []], "writers": [[], []]} for c in ("train only", "with writers")
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "heads.json.gz"
        for k in range(folds):
            held = {"train split": [r for r in own if fold_of[id(r)] == k],
                    "writers": [r for r in writers if fold_of[id(r)] == k]}
            fit_own = [r for r in own if fold_of[id(r)] != k]
            fit_writers = [r for r in writers if fold_of[id(r)] != k]
            for config, rows in (("train only", fit_own), ("with writers", fit_own + fit_writers)):
                print(f"{time.strftime('%H:%M:%S')} fold {k + 1}/{folds}: {config}",
                      file=sys.stderr, flush=True)
                _fit(rows, path)
                for part, gold in held.items():
                    result[config][part][0] += gold
                    result[config][part][1] += _predict(gold, path)
    return result


def main(argv: list[str] | None = None) -> int:
    """Print held-out figures of both configurations as a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    result = cross_validate(args.folds, args.seed)
    print("| held-out rows | heads trained on | " + " | ".join(SHOWN) + " |")
    print("|---|---|" + "---|" * len(SHOWN))
    for part in ("train split", "writers"):
        for config, parts in result.items():
            gold, preds = parts[part]
            if not gold:
                continue
            figures = labelled_figures(gold, preds)
            cells = " | ".join(_cell(figures.get(name)) for name in SHOWN)
            print(f"| {part} ({len(gold)}) | {config} | {cells} |")
    return 0


def _cell(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    raise SystemExit(main())
