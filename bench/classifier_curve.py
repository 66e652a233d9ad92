"""Learning curve of the learned heads: unseen-writer figures against the number of fit writers.

Usage: python bench/classifier_curve.py [--steps 0,6,12,18,24] [--held 5,10,15,20,25]
                                        [--order ascending|descending]

A fixed group of outside writers (default: every fifth, w5 … w25, one from each round) is held
out whole; the heads are fitted as train.py fits them (bench/classifier_cv_folds.fit, shipped
configuration and thresholds) on the train split plus the first k of the other writers, for
each k in --steps, and scored on the held-out writers' final labels. It answers how far more
writers of the same kind would carry the aspect tags; nothing is chosen on it, and the test
split and the blind sets are never touched.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from classifier_cv import header, row  # noqa: E402
from classifier_cv_folds import Config, fit, kept, predict, probabilities  # noqa: E402
from classifier_metrics import labelled_figures  # noqa: E402

from scoring.classifier import combine, train  # noqa: E402


def _writer_number(row: dict) -> int:
    return int(row["source"][1:])


def curve(steps: list[int], held: set[int], descending: bool) -> list[str]:
    """Fit on the train split plus the first k other writers for each k; return table rows."""
    gold = train.read_final_labels()
    own = train.relabel(train.project_split("train"), gold)
    writers = train.relabel(train.project_split("writers"), gold)
    held_rows = [r for r in writers if _writer_number(r) in held]
    pool = sorted({_writer_number(r) for r in writers} - held, reverse=descending)
    config = Config("shipped")
    lines = [header("fit writers")]
    for k in steps:
        chosen = set(pool[:k])
        fit_rows = own + [r for r in writers if _writer_number(r) in chosen]
        started = time.time()
        vocab, matrix = fit(fit_rows, config)
        index, w = kept(vocab, matrix, config.prune)
        preds = predict(held_rows, probabilities(held_rows, index, w), combine.SHIPPED)
        figures = labelled_figures(held_rows, preds)
        lines.append(row(f"{k} ({len(fit_rows):,} fit rows)", figures, len(index)))
        print(f"{time.strftime('%H:%M:%S')} k={k}: {len(fit_rows)} fit rows, "
              f"{math.ceil(time.time() - started)} s", file=sys.stderr, flush=True)
        print(lines[-1], flush=True)
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print the learning curve as a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default="0,6,12,18,24", help="numbers of fit writers")
    parser.add_argument("--held", default="5,10,15,20,25", help="held-out writer numbers")
    parser.add_argument("--order", choices=("ascending", "descending"), default="ascending",
                        help="which writers come first as k grows")
    args = parser.parse_args(argv)
    steps = [int(s) for s in args.steps.split(",")]
    held = {int(s) for s in args.held.split(",")}
    print(f"held out: {', '.join(f'w{n}' for n in sorted(held))}; order {args.order}", flush=True)
    lines = curve(steps, held, args.order == "descending")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
