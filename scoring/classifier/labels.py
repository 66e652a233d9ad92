"""The label schema of scoring/data/LABELING.md, and a comment's final label when several read it.

Writers, readers, adjudicators and the people who correct tags in chat all produce the same
three fields; this module is the one place that says what a valid set of them is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from scoring.classifier.lexicon import ASPECTS

POLARITIES = ("positive", "negative", "neutral", "mixed")
LABEL_KEYS = ("polarity", "complaint", "aspects")


def three_way(polarity: str) -> str:
    """Fold "mixed" into "negative" (issue 13's 3-class polarity)."""
    return "negative" if polarity == "mixed" else polarity


def label_problem(row: object) -> str | None:
    """Name the first label field of `row` that breaks the schema, or return None."""
    if not isinstance(row, Mapping) or not set(row) >= set(LABEL_KEYS):
        return "fields"
    if row["polarity"] not in POLARITIES:
        return "polarity"
    aspects = row["aspects"]
    if not isinstance(aspects, Mapping) or set(aspects) != set(ASPECTS):
        return "aspects"
    if not set(aspects.values()) <= {"pos", "neg", None}:
        return "aspects"
    if row["complaint"] is not (row["polarity"] in {"negative", "mixed"}):
        return "complaint"
    return None


def agree(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Tell whether two readings give a comment the same polarity and aspect tags."""
    return bool(a["polarity"] == b["polarity"] and a["aspects"] == b["aspects"])


def final_labels(
    readings: Iterable[Mapping[str, Any]], adjudications: Iterable[Mapping[str, Any]]
) -> dict[int, dict[str, Any]]:
    """Return each comment's final labels by id: the readers' if they agree, else adjudicated.

    A comment read once keeps that reading; two readers who differ on any field and no
    adjudication yet leave the first reader's labels (the one-reader state before).
    """
    first: dict[int, Mapping[str, Any]] = {}
    disputed: set[int] = set()
    for reading in readings:
        earlier = first.setdefault(reading["id"], reading)
        if earlier is not reading and not agree(earlier, reading):
            disputed.add(reading["id"])
    decided = {a["id"]: a for a in adjudications if a["id"] in disputed}
    return {
        i: {key: decided.get(i, reading)[key] for key in LABEL_KEYS}
        for i, reading in first.items()
    }
