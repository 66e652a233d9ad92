"""The learned heads: linear models over `features.features`, loaded lazily from a small file.

One weight row per feature holds every head's weights (polarity: 4 classes; each aspect:
none/pos/neg). The file stores the feature names and int16 weights (base64), so loading needs
no numpy and takes a few milliseconds; `train.py` writes it, `use()` switches to another file
(a model retrained from corrections).
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import json
import math
import sys
import threading
from array import array
from dataclasses import dataclass
from functools import cached_property
from itertools import repeat
from operator import truediv
from pathlib import Path
from typing import Any

from scoring.classifier import colsum, flatcache

MODEL_PATH = Path(__file__).with_name("heads_model.json.gz")
_FLAT = b"ownervoice-heads 1\n"

_lock = threading.Lock()
_model: Model | None = None
_path = MODEL_PATH


@dataclass(frozen=True)
class Model:
    """Head names with their class labels, and the weight row of every known feature.

    Rows hold the file's integer weights; a weight is `scale` times its integer. Scores are
    summed in integers and scaled once (exact sums, and no float per weight at load time).
    Each row is kept packed into one integer (colsum.py), which is how scores add them up,
    made when a comment first uses it.
    """

    heads: dict[str, tuple[str, ...]]
    packed: colsum.Rows
    width: int
    scale: float

    def row(self, name: str) -> list[int] | None:
        """Return a feature's integer weights, or None for a feature the model lacks."""
        packed = self.packed.row(name)
        return None if packed is None else colsum.unpack(packed, self.width)

    @cached_property
    def rows(self) -> dict[str, list[int]]:
        """Every feature's integer weights (built on first use)."""
        return {name: colsum.unpack(self.packed.made(p), self.width)
                for name, p in list(self.packed.table.items())}


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


def _build(heads_: dict[str, list[str]], scale: float, features: str, weights: bytes) -> Model:
    heads = {name: tuple(labels) for name, labels in heads_.items()}
    width = sum(len(labels) for labels in heads.values())
    names = features.split("\n") if features else []
    if len(weights) != len(names) * width * 2:
        raise ValueError("weight block does not match the feature names")
    # Packing all ~120k rows at load took ~40 ms a start; a comment uses ~50 rows, and a
    # lookup stays one dict.get in C (colsum.Rows makes each row on first use).
    packed = colsum.Rows.lazy(names, weights, width)
    return Model(heads=heads, packed=packed, width=width, scale=float(scale))


def _flat(data: dict[str, Any]) -> bytes:
    """Return file content written by `encode` as one flat block (weights: little-endian int16)."""
    names: bytes = data["features"].encode("utf-8")
    meta = json.dumps({"heads": data["heads"], "scale": data["scale"], "names": len(names)})
    return _FLAT + meta.encode("utf-8") + b"\n" + names + base64.b64decode(data["weights"])


def _from_flat(blob: bytes) -> Model:
    end = blob.index(b"\n", len(_FLAT)) + 1
    meta = json.loads(blob[len(_FLAT) : end])
    names_end = end + int(meta["names"])
    return _build(meta["heads"], meta["scale"], blob[end:names_end].decode("utf-8"),
                  blob[names_end:])  # fmt: skip


def load(path: Path) -> Model:
    """Read a model file (kept uncompressed in the temporary directory after the first read)."""
    # Gunzip, JSON and base64 of the twenty-writer file cost ~0.12 s a start; the flat copy
    # is read in a few ms. Its name follows the file's identity, so a retrained file is
    # never mistaken for the copy of an older one.
    stat = path.stat()
    cache = flatcache.temp_path(
        f"ownervoice-heads-{stat.st_size}-{stat.st_mtime_ns}-{stat.st_ino}.bin"
    )
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        blob = flatcache.read_trusted(cache)
        if blob is not None and blob.startswith(_FLAT):
            return _from_flat(blob)
    blob = _flat(json.loads(gzip.decompress(path.read_bytes())))
    with contextlib.suppress(OSError):  # a read-only temporary directory: parse next time
        flatcache.write_atomic(cache, blob)
    return _from_flat(blob)


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
    scale = m.scale
    return [total * scale for total in colsum.column_sums(feats, m.packed, m.width)]


def probabilities(raw: list[float], m: Model) -> dict[str, dict[str, float]]:
    """Turn raw scores into a softmax distribution per head."""
    out: dict[str, dict[str, float]] = {}
    start = 0
    exp = math.exp
    for head, labels in m.heads.items():
        end = start + len(labels)
        part = raw[start:end]
        top = max(part)
        exps = [exp(v - top) for v in part]
        total = sum(exps)
        # e / total for each class, the same divisions, in C.
        out[head] = dict(zip(labels, map(truediv, exps, repeat(total)), strict=True))
        start = end
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
    get = m.packed.row
    others = [start + j for j in range(len(labels)) if start + j != k]
    for name, value in feats.items():
        packed = get(name)
        if packed is not None:
            # Only this head's weights are unpacked from the row.
            mine = colsum.weight(packed, k)
            best = max(colsum.weight(packed, j) for j in others)
            # Each weight scaled on its own, as the ranking of evidence words always was.
            out.append((value * (mine * m.scale - best * m.scale), name))
    return out
