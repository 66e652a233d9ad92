"""Leave-one-writer-out cross-validation of the learned heads: how the classifier is tuned.

Usage: python bench/classifier_cv.py [--configs shipped,l2x3] [--prune 0.05,0.1] [--sweep]
                                     [--per-writer]

Folds are grouped by who wrote the rows (bench/classifier_cv_folds.py): each outside writer
(`source` w1 … wN of scoring/data/writers.jsonl) is held out whole while the heads train on
the train split and the other writers, and the train split is held out in 4 folds (seed 7)
while they train on the rest of it and every writer. "unseen writers" pools the held-out
writers' rows: it is THE selection criterion (random folds let a writer's other rows teach
their style and overrate the model: 0.923 polarity there, 0.862 on the blind set). The test
split and the blind set are never touched.

--configs picks training variants (CONFIGS), --prune scores smaller files from the same fits,
--sweep scores combination thresholds (scoring.classifier.combine) on the same probabilities.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import classifier_targets  # noqa: E402
from classifier_cv_folds import EXTRA, Config, Folds, held_out, predict  # noqa: E402
from classifier_metrics import labelled_figures  # noqa: E402

from scoring.classifier import combine  # noqa: E402

SHOWN = ("polarity3_acc", "polarity4_acc", "complaint_f1", "aspect_macro_f1", "mixed_recall")
NEG = ("attitude", "clarity", "timeliness", "resolution")
CONFIGS = {
    "shipped": Config("shipped"),
    "l2x3": Config("l2x3", {"l2": 3e-3}),
    "l2/3": Config("l2/3", {"l2": 3e-4}),
    "chars-l2x3": Config("chars-l2x3", {"group_l2": {"c:": 3.0}}),
    "words-l2x3": Config("words-l2x3", {"group_l2": {"w:": 3.0, "b:": 3.0, "l:": 3.0}}),
    "rules-l2/3": Config("rules-l2/3", {"group_l2": {"r:": 1 / 3, "v:": 1 / 3}}),
    "balance1": Config("balance1", {"balance": 1.0}),
    "balance0": Config("balance0", {"balance": 0.0}),
    "composed0": Config("composed0", composed=0),
    "composed0.6": Config("composed0.6", composed_weight=0.6),
    "composed1200": Config("composed1200", composed=1200),
    "writers0.5": Config("writers0.5", writer_weight=0.5),
    "writers2": Config("writers2", writer_weight=2.0),
    "first-reader": Config("first-reader", labels="first-reader"),
    "no-targets": Config("no-targets", drop=("t:", "u:")),
    "targets": Config("targets", drop=("u:",)),
    "targets+words": Config("targets+words"),
}


def sweep_thresholds() -> list[combine.Thresholds]:
    """Return the shipped thresholds and one-at-a-time variations of them."""
    base = combine.SHIPPED
    out = [base]
    out += [replace(base, add=v) for v in (0.5, 0.55, 0.65, 0.7)]
    out += [replace(base, flip=v) for v in (0.7, 0.9)]
    out += [replace(base, drop=v) for v in (0.6, 0.7, 0.8, 0.9)]
    out += [replace(base, mixed=v) for v in (0.15, 0.25, 0.3)]
    return out


ADDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7)
DROPS = (0.5, 0.6, 0.7, 0.8, 0.9, 1.1)


def tune_per_aspect(parts: Folds, names: list[str], base: combine.Thresholds
                    ) -> combine.Thresholds:
    """Pick each aspect's add and drop thresholds by the mean F1 of its two tags on `names`."""
    add, drop = dict(base.per_aspect_add), dict(base.per_aspect_drop)
    for aspect in NEG:
        best = (-1.0, base.add_for(aspect), base.drop_for(aspect))
        for a in ADDS:
            for d in DROPS:
                t = replace(base, per_aspect_add={**add, aspect: a},
                            per_aspect_drop={**drop, aspect: d})
                tags = figures(parts, names, t)["aspect_tag_f1"]
                score = (tags[f"{aspect}_pos"] + tags[f"{aspect}_neg"]) / 2
                best = max(best, (score, a, d))
        add[aspect], drop[aspect] = best[1], best[2]
    return replace(base, per_aspect_add=add, per_aspect_drop=drop)


def figures(parts: Folds, names: list[str], t: combine.Thresholds) -> dict:
    """Return the labelled figures of the held-out rows of `names`, pooled."""
    gold: list[dict] = []
    preds: list[dict] = []
    for name in names:
        rows, probs, _ = parts[name]
        gold += rows
        preds += predict(rows, probs, t)
    return labelled_figures(gold, preds)


def _cell(value: object) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def row(label: str, fig: dict, size: int) -> str:
    """Return one Markdown table row of figures."""
    cells = [_cell(fig.get(name)) for name in SHOWN]
    cells.append(" / ".join(f"{fig['negative_aspect_f1'][a]:.2f}" for a in NEG))
    return f"| {label} | {fig['rows']} | {size:,} | " + " | ".join(cells) + " |"


def header(first: str) -> str:
    """Return the Markdown table header."""
    cols = [first, "rows", "features", *SHOWN, "neg F1 att / cla / tim / res"]
    return "| " + " | ".join(cols) + " |\n|" + "---|" * len(cols)


def describe(t: combine.Thresholds) -> str:
    """Name thresholds by how they differ from the shipped ones."""
    diff = [f"{k}={getattr(t, k)}" for k in ("add", "flip", "drop", "mixed")
            if getattr(t, k) != getattr(combine.SHIPPED, k)]
    for kind, values in (("add", t.per_aspect_add), ("drop", t.per_aspect_drop)):
        if values:
            diff.append(f"{kind} " + ",".join(f"{a[:3]}={v}" for a, v in values.items()))
    return ", ".join(diff) or "shipped thresholds"


def report(label: str, parts: Folds, thresholds: list[combine.Thresholds],
           per_writer: bool) -> list[str]:
    """Return table rows: unseen writers pooled and the train split, per thresholds."""
    writers = [n for n in parts if not n.startswith("train split")]
    own = [n for n in parts if n.startswith("train split")]
    size = round(sum(p[2] for p in parts.values()) / len(parts))
    lines = []
    for t in thresholds:
        name = f"{label}, {describe(t)}"
        lines.append(row(f"unseen writers: {name}", figures(parts, writers, t), size))
        if own:
            lines.append(row(f"train split: {name}", figures(parts, own, t), size))
        if per_writer:
            lines += [row(f"{w}: {name}", figures(parts, [w], t), parts[w][2]) for w in writers]
    return lines


def tuned(label: str, parts: Folds) -> list[str]:
    """Tune per-aspect thresholds on one half of the writers and score the other half."""
    writers = [n for n in parts if not n.startswith("train split")]
    halves = (writers[: len(writers) // 2], writers[len(writers) // 2 :])
    lines = []
    for pick, score in (halves, halves[::-1]):
        base = figures(parts, score, combine.SHIPPED)
        lines.append(row(f"{'+'.join(score)}: {label}, shipped thresholds", base, 0))
        t = tune_per_aspect(parts, pick, combine.SHIPPED)
        lines.append(row(f"{'+'.join(score)}: {label}, tuned on {'+'.join(pick)}: "
                         f"{describe(t)}", figures(parts, score, t), 0))
    t = tune_per_aspect(parts, writers, combine.SHIPPED)
    lines.append(row(f"unseen writers: {label}, tuned on all writers: {describe(t)}",
                     figures(parts, writers, t), 0))
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print held-out figures of each configuration as a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", default="shipped", help=f"comma-separated: {list(CONFIGS)}")
    parser.add_argument("--prune", default="", help="comma-separated pruning levels to score")
    parser.add_argument("--sweep", action="store_true", help="also vary the thresholds")
    parser.add_argument("--per-writer", action="store_true", help="one row per held-out writer")
    parser.add_argument("--save", type=Path, help="keep the held-out probabilities (pickle)")
    parser.add_argument("--load", type=Path, help="score saved probabilities, fit nothing")
    parser.add_argument("--tune", action="store_true",
                        help="pick per-aspect thresholds on half the writers, score the other half")
    parser.add_argument("--paired", action="store_true",
                        help="hold out two writers a fold (w1 with w6, …): half the fits")
    parser.add_argument("--halves", action="store_true",
                        help="hold out the odd-numbered writers, then the even ones: two fits")
    parser.add_argument("--first-writers", type=int, default=0,
                        help="use only writers w1 … wN (same folds as an earlier run)")
    parser.add_argument("--targets", action="store_true",
                        help="add the target features (classifier_targets.py) to every comment; "
                        "configs no-targets / targets / targets+words choose which the fit sees")
    parser.add_argument("--writers-only", action="store_true",
                        help="skip the train split's folds (a quicker screen of a variant)")
    args = parser.parse_args(argv)
    if args.targets:
        EXTRA[0] = classifier_targets.features_of
    levels = tuple(float(x) for x in args.prune.split(",") if x)
    thresholds = sweep_thresholds() if args.sweep else [combine.SHIPPED]
    print(header("held-out rows: heads, combination"))
    saved: dict[str, Folds] = pickle.loads(args.load.read_bytes()) if args.load else {}
    if not args.load:
        for key in args.configs.split(","):
            config = CONFIGS[key]
            for level, parts in held_out(config, levels, args.writers_only, args.paired,
                                            args.halves, args.first_writers).items():
                saved[key if level == config.prune else f"{key} pruned at {level}"] = parts
                if args.save:
                    args.save.write_bytes(pickle.dumps(saved))
    for label, parts in saved.items():
        print("\n".join(report(label, parts, thresholds, args.per_writer)), flush=True)
        if args.tune:
            print("\n".join(tuned(label, parts)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
