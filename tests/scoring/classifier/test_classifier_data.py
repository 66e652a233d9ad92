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


def test_test_split_polarity_and_complaint_stay_above_targets() -> None:
    rows = _rows("test")
    results = [classify(r["text"]) for r in rows]
    accuracy = sum(c.polarity == r["polarity"] for c, r in zip(results, rows, strict=True))
    assert accuracy / len(rows) >= 0.88
    tp = sum(c.complaint and r["complaint"] for c, r in zip(results, rows, strict=True))
    fp = sum(c.complaint and not r["complaint"] for c, r in zip(results, rows, strict=True))
    fn = sum(r["complaint"] and not c.complaint for c, r in zip(results, rows, strict=True))
    assert 2 * tp / (2 * tp + fp + fn) >= 0.90
