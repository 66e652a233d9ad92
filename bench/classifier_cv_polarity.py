"""Leave-one-writer-out CV of the polarity head alone: a quick screen of polarity changes.

Usage: python bench/classifier_cv_polarity.py [--mixed 0.2] [--json out.json] [--no-test]

Each outside writer (w1 … wN of scoring/data/writers.jsonl) is held out whole while the
polarity head trains on the train split, the other writers and the composed rows, exactly as
train.py trains it. Only the polarity head is fitted: the heads share no weights (each weight
has its own L2 and Adam state), so its weights are those of the joint fit; pruning keeps a
feature when its polarity weights pass PRUNE (the joint file also keeps it for an aspect
weight, a difference of a few near-zero rows). Prints the pooled unseen-writer figures
(3-class, 4-class, complaint F1, mixed recall), the own test split with the head trained on
every training row, and the polarity error rate per phenomenon tag of the writers' rows.
The blind set and the public corpora are never read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
from classifier_cv_folds import prepare  # noqa: E402
from classifier_metrics import labelled_figures  # noqa: E402

from scoring.classifier import combine, fit, train  # noqa: E402
from scoring.classifier.labels import three_way  # noqa: E402
from scoring.classifier.lexicon import ASPECTS  # noqa: E402

SIZES = {"polarity": len(train.POLARITIES)}


def fit_polarity(rows: list[dict]) -> tuple[dict[str, int], np.ndarray]:
    """Fit the polarity head as train.py does; return the kept features and int16-rounded rows."""
    extra = train.compose(rows, train.COMPOSED)
    weights = [1.0] * len(rows) + [train.COMPOSED_WEIGHT] * len(extra)
    docs = [prepare(r["text"]).feats for r in rows + extra]
    labels = {"polarity": [train.POLARITIES.index(r["polarity"]) for r in rows + extra]}
    vocab, w = fit.fit(docs, labels, SIZES, weights=weights, l2=train.L2, epochs=train.EPOCHS,
                       min_df=2, balance=train.BALANCE, group_l2=train.GROUP_L2)
    keep = np.abs(w).max(axis=1) >= train.PRUNE
    q = np.clip(np.round(w[keep] / train.SCALE), -32767, 32767) * train.SCALE
    names = [f for f, k in zip(vocab, keep, strict=True) if k]
    return {f: i for i, f in enumerate(names)}, q


def predict(rows: list[dict], index: dict[str, int], w: np.ndarray,
            t: combine.Thresholds) -> list[dict]:
    """Return predictions shaped like gold rows (aspects empty), combined as classify does."""
    out = []
    for row in rows:
        prep = prepare(row["text"])
        dist = None
        if prep.empty:
            pol = "neutral"
        else:
            raw = sum((w[index[f]] * v for f, v in prep.feats.items() if f in index),
                      np.zeros(w.shape[1]))
            e = np.exp(raw - raw.max())
            dist = dict(zip(train.POLARITIES, (e / e.sum()).tolist(), strict=True))
            pol = combine.polarity(dist, prep.conceded, t)
        out.append({"polarity": pol, "complaint": pol in ("negative", "mixed"),
                    "aspects": dict.fromkeys(ASPECTS), "dist": dist})
    return out


def summary(gold: list[dict], preds: list[dict]) -> dict:
    """Return the polarity figures of predictions."""
    fig = labelled_figures(gold, preds)
    return {k: fig[k] for k in ("rows", "polarity3_acc", "polarity4_acc", "complaint_f1",
                                "mixed_recall", "mixed_as_complaint_recall")}


def by_phenomenon(gold: list[dict], preds: list[dict]) -> dict[str, tuple[int, float]]:
    """Return {tag: (rows, share with the 3-class polarity wrong)} for tags with 20+ rows."""
    groups: dict[str, list[bool]] = defaultdict(list)
    for g, p in zip(gold, preds, strict=True):
        wrong = three_way(g["polarity"]) != three_way(p["polarity"])
        for tag in g.get("phenomena") or ["(none)"]:
            groups[tag].append(wrong)
    return {t: (len(v), sum(v) / len(v)) for t, v in sorted(groups.items()) if len(v) >= 20}


def main(argv: list[str] | None = None) -> int:
    """Print the polarity figures of unseen writers and the own test split."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mixed", type=float, default=combine.SHIPPED.mixed)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--no-test", action="store_true", help="skip the own test split")
    parser.add_argument("--rows", type=Path, help="write each unseen writer row and its verdict")
    args = parser.parse_args(argv)
    t = combine.Thresholds(add=combine.SHIPPED.add, mixed=args.mixed)
    own = train.project_split("train")
    writers = train.training_rows()[len(own):]
    sources = sorted({r["source"] for r in writers}, key=lambda s: int(s[1:]))
    gold: list[dict] = []
    preds: list[dict] = []
    per_writer = {}
    for source in sources:
        started = time.time()
        held = [r for r in writers if r["source"] == source]
        index, w = fit_polarity(own + [r for r in writers if r["source"] != source])
        p = predict(held, index, w, t)
        gold += held
        preds += p
        per_writer[source] = summary(held, p)["polarity3_acc"]
        print(f"{source}: 3-class {per_writer[source]:.3f} ({time.time() - started:.0f} s)",
              file=sys.stderr, flush=True)
    result: dict = {"unseen_writers": summary(gold, preds), "per_writer": per_writer,
                    "phenomena": by_phenomenon(gold, preds)}
    if args.rows:
        every = [{"id": g["id"], "source": g["source"], "gold": g["polarity"],
                  "pred": p["polarity"], "dist": p["dist"], "phenomena": g.get("phenomena"),
                  "text": g["text"]} for g, p in zip(gold, preds, strict=True)]
        args.rows.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in every))
    if not args.no_test:
        test = train.project_split("test")
        index, w = fit_polarity(own + writers)
        result["own_test"] = summary(test, predict(test, index, w, t))
    print(json.dumps(result, indent=1, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
