"""Cross-validate the learned heads on the training rows, with and without the writers' rows.

Usage: python bench/classifier_cv.py [--folds 4] [--seed 7] [--prune 0.05,0.1]

The train split and the writers' rows (scoring/data/writers.jsonl) are cut into the same
folds. For each fold, two heads are trained on the other folds, as `train.py` does (composed
rows included): "train only" on the train split's rows, "with writers" on those plus the
writers' rows; both classify the held-out fold. Figures are printed for the held-out train-split
rows and the held-out writers' rows, side by side. The test split and the blind set are never
touched: this is how a change to the training data is judged before any blind look.
--prune also scores the "with writers" heads with every weight row whose largest weight is
under each level dropped (a smaller file that loads faster), to choose that level here too.
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
from scoring.classifier.train import heads_spec  # noqa: E402

SHOWN = ("polarity3_acc", "polarity4_acc", "complaint_f1", "aspect_macro_f1", "mixed_recall")


def _fit(rows: list[dict], path: Path) -> None:
    extra = train.compose(rows, train.COMPOSED)
    weights = [1.0] * len(rows) + [train.COMPOSED_WEIGHT] * len(extra)
    train.write_heads(train.train_heads(rows + extra, weights=weights), path)


def _pruned(path: Path, level: float, out: Path) -> int:
    """Write the heads at `path` without rows whose largest weight is under `level`."""
    m = heads.load(path)
    rows = {
        name: [w * m.scale for w in row]
        for name, row in m.rows.items()
        if max(abs(w) for w in row) * m.scale >= level
    }
    train.write_heads(heads.encode(heads_spec(), rows, scale=m.scale), out)
    return len(rows)


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


def cross_validate(
    folds: int, seed: int, levels: tuple[float, ...] = ()
) -> dict[str, dict[str, list]]:
    """Return {config: {part: [gold rows, predictions]}} over all held-out folds."""
    own, writers = train.project_split("train"), train.project_split("writers")
    rng = random.Random(seed)
    shuffled = rng.sample(own + writers, len(own) + len(writers))
    fold_of = {id(r): i % folds for i, r in enumerate(shuffled)}
    configs = ("train only", "with writers", *(f"with writers, pruned at {p}" for p in levels))
    result: dict[str, dict[str, list]] = {
        c: {"train split": [[], []], "writers": [[], []], "features": []} for c in configs
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
                variants = [(config, path)]
                if config == "with writers":
                    for level in levels:
                        name = f"with writers, pruned at {level}"
                        pruned = Path(tmp) / f"pruned-{level}.json.gz"
                        result[name]["features"].append(_pruned(path, level, pruned))
                        variants.append((name, pruned))
                for name, model in variants:
                    for part, gold in held.items():
                        result[name][part][0] += gold
                        result[name][part][1] += _predict(gold, model)
                result[config]["features"].append(len(heads.load(path).rows))
    return result


def main(argv: list[str] | None = None) -> int:
    """Print held-out figures of both configurations as a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--prune", default="", help="comma-separated pruning levels to score")
    args = parser.parse_args(argv)
    levels = tuple(float(x) for x in args.prune.split(",") if x)
    result = cross_validate(args.folds, args.seed, levels)
    print("| held-out rows | heads trained on | features | " + " | ".join(SHOWN) + " |")
    print("|---|---|---|" + "---|" * len(SHOWN))
    for part in ("train split", "writers"):
        for config, parts in result.items():
            gold, preds = parts[part]
            if not gold:
                continue
            figures = labelled_figures(gold, preds)
            cells = " | ".join(_cell(figures.get(name)) for name in SHOWN)
            size = round(sum(parts["features"]) / max(1, len(parts["features"])))
            print(f"| {part} ({len(gold)}) | {config} | {size:,} | {cells} |")
    return 0


def _cell(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    raise SystemExit(main())
