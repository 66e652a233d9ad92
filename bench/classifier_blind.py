"""Aggregate figures of the blind evaluation set (scoring/data/blind.jsonl), never an item.

The blind set's texts and per-item results must not be read by anyone who changes the
classifier (see scoring/data/LABELING.md). This module therefore returns only counts, rates
and F1 figures; groups of fewer than MIN_GROUP items are reported as hidden, so no figure can
be traced back to one comment. Nothing here prints, logs or returns a text, an id or a
per-item verdict.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from classifier_metrics import ASPECTS, labelled_figures

from scoring.classifier.labels import three_way

MIN_GROUP = 5
Predict = Callable[[str], dict]


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _error_rates(gold: Sequence[dict], preds: Sequence[dict], keys: Sequence[list[str]]) -> dict:
    """Per group: n and the share of items with polarity, complaint or an aspect wrong."""
    members: dict[str, list[int]] = defaultdict(list)
    for index, group_keys in enumerate(keys):
        for key in group_keys:
            members[key].append(index)
    out: dict = {}
    for key in sorted(members):
        idx = members[key]
        if len(idx) < MIN_GROUP:
            out[key] = {"n": len(idx), "hidden": f"fewer than {MIN_GROUP} items"}
            continue
        pol = sum(three_way(gold[i]["polarity"]) != three_way(preds[i]["polarity"]) for i in idx)
        cmp_ = sum(gold[i]["complaint"] != preds[i]["complaint"] for i in idx)
        asp = sum(
            any(gold[i]["aspects"][a] != preds[i]["aspects"].get(a) for a in ASPECTS) for i in idx
        )
        out[key] = {
            "n": len(idx),
            "polarity_error": round(pol / len(idx), 3),
            "complaint_error": round(cmp_ / len(idx), 3),
            "aspect_error": round(asp / len(idx), 3),
        }
    return out


def report(path: Path, systems: dict[str, Predict]) -> dict:
    """Return the aggregate figures of every system on the blind set at `path`."""
    gold = _rows(path)
    out: dict = {"rows": len(gold)}
    phenomena = [list(r.get("phenomena") or ["(none)"]) for r in gold]
    registers = [[str(r.get("register") or "(none)")] for r in gold]
    for name, predict in systems.items():
        preds = [predict(r["text"]) for r in gold]
        out[name] = {
            "figures": labelled_figures(gold, preds),
            "by_phenomenon": _error_rates(gold, preds, phenomena),
            "by_register": _error_rates(gold, preds, registers),
        }
    return out
