"""The project's labeled in-domain comments and the figures they must keep reaching."""

from __future__ import annotations

import json
from pathlib import Path

from scoring.classifier import classify

DATA = Path(__file__).resolve().parents[3] / "scoring" / "data"
POLARITIES = {"positive", "negative", "neutral", "mixed"}


def _rows(split: str) -> list[dict]:
    lines = (DATA / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line]


def test_labeled_set_is_large_split_and_well_formed() -> None:
    train, test = _rows("train"), _rows("test")
    assert len(train) + len(test) >= 600
    assert {r["text"] for r in train}.isdisjoint({r["text"] for r in test})
    for row in train + test:
        assert row["polarity"] in POLARITIES
        assert set(row["aspects"]) == {"attitude", "clarity", "timeliness", "resolution"}
        assert set(row["aspects"].values()) <= {"pos", "neg", None}
        # The complaint rule of LABELING.md.
        assert row["complaint"] is (row["polarity"] in {"negative", "mixed"})


def _f1(pairs: list[tuple[object, object]], label: object) -> float:
    tp = sum(g == label and p == label for g, p in pairs)
    fp = sum(g != label and p == label for g, p in pairs)
    fn = sum(g == label and p != label for g, p in pairs)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def test_test_split_stays_above_the_issue_targets() -> None:
    # The same definitions as bench/classifier.py: a lexicon or rule change that drops a
    # target fails here, not only in the next benchmark run.
    rows = _rows("test")
    results = [classify(r["text"]) for r in rows]
    accuracy = sum(c.polarity == r["polarity"] for c, r in zip(results, rows, strict=True))
    assert accuracy / len(rows) >= 0.90
    complaints = [(r["complaint"], c.complaint) for c, r in zip(results, rows, strict=True)]
    assert _f1(complaints, True) >= 0.90
    aspect_f1 = []
    for aspect in ("attitude", "clarity", "timeliness", "resolution"):
        pairs = [(r["aspects"][aspect], c.aspects[aspect])
                 for c, r in zip(results, rows, strict=True)]
        aspect_f1.append((_f1(pairs, "pos") + _f1(pairs, "neg")) / 2)
    assert sum(aspect_f1) / len(aspect_f1) >= 0.85
