"""Scoring helpers shared by the classifier benchmarks (accuracy, F1, the blind-set figures)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from scoring.classifier.labels import three_way

ASPECTS = ("attitude", "clarity", "timeliness", "resolution")
TAGS = ("pos", "neg")


def _counts(gold: Sequence[object], pred: Sequence[object], label: object) -> tuple[int, int, int]:
    """True positives, false positives and false negatives of one label."""
    pairs = list(zip(gold, pred, strict=True))
    tp = sum(g == label and p == label for g, p in pairs)
    fp = sum(g != label and p == label for g, p in pairs)
    fn = sum(g == label and p != label for g, p in pairs)
    return tp, fp, fn


def f1_for(gold: Sequence[object], pred: Sequence[object], label: object) -> float:
    """F1 of one label."""
    tp, fp, fn = _counts(gold, pred, label)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def precision_recall(gold: Sequence[object], pred: Sequence[object], label: object) -> dict:
    """Precision, recall and gold support of one label."""
    tp, fp, fn = _counts(gold, pred, label)
    return {
        "precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        "support": tp + fn,
    }


def confusion(gold: Sequence[object], pred: Sequence[object]) -> dict[str, int]:
    """Count gold→predicted pairs of one aspect's values ("neg→none": 12, …)."""
    counts: dict[str, int] = {}
    for g, p in zip(gold, pred, strict=True):
        if g != p:
            key = f"{g or 'none'}→{p or 'none'}"
            counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def macro_f1(gold: Sequence[object], pred: Sequence[object], labels: Iterable[object]) -> float:
    """Unweighted mean F1 over labels."""
    labels = list(labels)
    return sum(f1_for(gold, pred, lab) for lab in labels) / len(labels)


def accuracy(gold: Sequence[object], pred: Sequence[object]) -> float:
    """Share of exact matches."""
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / max(1, len(gold))


def labelled_figures(gold_rows: Sequence[dict], preds: Sequence[dict]) -> dict:
    """Issue 13 item 2 figures for predictions shaped like the gold rows.

    gold_rows and preds: {"polarity", "complaint", "aspects": {aspect: pos|neg|None}}.
    """
    gold_pol = [r["polarity"] for r in gold_rows]
    pred_pol = [p["polarity"] for p in preds]
    mixed = [p for g, p in zip(gold_pol, pred_pol, strict=True) if g == "mixed"]
    tag_f1, tag_pr, errors = {}, {}, {}
    for aspect in ASPECTS:
        gold = [r["aspects"][aspect] for r in gold_rows]
        pred = [p["aspects"].get(aspect) for p in preds]
        errors[aspect] = confusion(gold, pred)
        for tag in TAGS:
            tag_f1[f"{aspect}_{tag}"] = f1_for(gold, pred, tag)
            tag_pr[f"{aspect}_{tag}"] = precision_recall(gold, pred, tag)
    return {
        "rows": len(gold_rows),
        "polarity3_acc": accuracy(
            [three_way(g) for g in gold_pol], [three_way(p) for p in pred_pol]
        ),
        "polarity4_acc": accuracy(gold_pol, pred_pol),
        "complaint_f1": f1_for(
            [r["complaint"] for r in gold_rows], [p["complaint"] for p in preds], True
        ),
        "negative_aspect_f1": {a: tag_f1[f"{a}_neg"] for a in ASPECTS},
        "aspect_tag_f1": tag_f1,
        "aspect_tag_precision_recall": tag_pr,
        "aspect_errors": errors,
        "aspect_macro_f1": sum(tag_f1.values()) / len(tag_f1),
        "mixed_rows": len(mixed),
        "mixed_recall": sum(p == "mixed" for p in mixed) / len(mixed) if mixed else None,
        "mixed_as_complaint_recall": (
            sum(p in ("mixed", "negative") for p in mixed) / len(mixed) if mixed else None
        ),
    }
