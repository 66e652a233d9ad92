"""The learned heads: linear models over `features.features`, loaded lazily from a small file.

One weight row per feature holds every head's weights (polarity: 4 classes; each aspect:
none/pos/neg). The file stores the feature names and int16 weights (base64), so loading needs
no numpy and takes a few milliseconds; `train.py` writes it, `use()` switches to another file
(a model retrained from corrections).
"""

from __future__ import annotations

import base64
import gzip
import json
import math
import sys
import threading
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scoring.classifier import colsum

MODEL_PATH = Path(__file__).with_name("heads_model.json.gz")

_lock = threading.Lock()
_model: Model | None = None
_path = MODEL_PATH


@dataclass(frozen=True)
class Model:
    """Head names with their class labels, and the weight row of every known feature.

    Rows hold the file's integer weights; a weight is `scale` times its integer. Scores are
    summed in integers and scaled once (exact sums, and no float per weight at load time).
    """

    heads: dict[str, tuple[str, ...]]
    rows: dict[str, tuple[int, ...]]
    width: int
    scale: float
    # The same rows packed for colsum.column_sums (filled on first use when empty).
    packed: dict[str, int] = field(default_factory=dict, compare=False, repr=False)


def encode(heads: dict[str, list[str]], rows: dict[str, list[float]], scale: float
           ) -> dict[str, Any]:
    """Return the JSON-ready file content for weight rows (quantised to int16 * scale)."""
    names = sorted(rows)
    flat = array("h", (max(-32767, min(32767, round(w / scale))) for n in names for w in rows[n]))
    if sys.byteorder != "little":
        flat.byteswap()
    return {
        "heads": heads,
        "scale": scale,
        "features": "\n".join(names),
        "weights": base64.b64encode(flat.tobytes()).decode("ascii"),
    }


def decode(data: dict[str, Any]) -> Model:
    """Build a Model from file content written by `encode`."""
    heads = {name: tuple(labels) for name, labels in data["heads"].items()}
    width = sum(len(labels) for labels in heads.values())
    weights = base64.b64decode(data["weights"])  # little-endian int16
    flat = array("h")
    flat.frombytes(weights)
    if sys.byteorder != "little":
        flat.byteswap()
    names = data["features"].split("\n") if data["features"] else []
    # One iterator repeated `width` times: zip cuts the flat weights into rows, in C.
    rows = dict(zip(names, zip(*[iter(flat)] * width, strict=True), strict=True))
    packed = dict(zip(names, colsum.pack(weights, width), strict=True))
    return Model(heads=heads, rows=rows, width=width, scale=float(data["scale"]), packed=packed)


def load(path: Path) -> Model:
    """Read a model file."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return decode(json.load(fh))


def model() -> Model:
    """Return the model in use, loading it on first call."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = load(_path)
    return _model


def use(path: Path | None) -> None:
    """Classify with the model at `path` from now on (None: the shipped model)."""
    global _model, _path
    with _lock:
        _path = path or MODEL_PATH
        _model = None


def scores(feats: dict[str, float], m: Model) -> list[float]:
    """Return the raw score of every class of every head, in head order."""
    # Column sums over the rows of the features present (a large share of the time per
    # comment: colsum adds each row as one packed integer).
    if not m.packed and m.rows:
        m.packed.update(colsum.pack_rows(m.rows, m.width))
    scale = m.scale
    return [total * scale for total in colsum.column_sums(feats, m.rows, m.packed, m.width)]


def probabilities(raw: list[float], m: Model) -> dict[str, dict[str, float]]:
    """Turn raw scores into a softmax distribution per head."""
    out: dict[str, dict[str, float]] = {}
    start = 0
    for head, labels in m.heads.items():
        part = raw[start : start + len(labels)]
        top = max(part)
        exps = [math.exp(v - top) for v in part]
        total = sum(exps)
        out[head] = {label: e / total for label, e in zip(labels, exps, strict=True)}
        start += len(labels)
    return out


def contributions(
    feats: dict[str, float], m: Model, head: str, label: str
) -> list[tuple[float, str]]:
    """Return (weight toward `label` against the head's other classes, feature) per feature."""
    start = 0
    for name, labels in m.heads.items():
        if name == head:
            break
        start += len(labels)
    labels = m.heads[head]
    k = start + labels.index(label)
    out = []
    for name, value in feats.items():
        row = m.rows.get(name)
        if row is not None:
            others = [row[start + j] for j in range(len(labels)) if start + j != k]
            # Each weight scaled on its own, as the ranking of evidence words always was.
            out.append((value * (row[k] * m.scale - max(others) * m.scale), name))
    return out
