"""Packed column sums give exactly what summing the weight rows column by column gives."""

from __future__ import annotations

import base64
import gzip
import json
import random
import sys
from array import array

from scoring.classifier import colsum, heads


def _naive(feats: dict[str, float], rows: dict[str, tuple[int, ...]], width: int) -> list[float]:
    found = [(rows[n], v) for n, v in feats.items() if rows.get(n)]
    scaled = [r if v == 1.0 else tuple(v * w for w in r) for r, v in found]
    if not scaled:
        return [0.0] * width
    return [sum(column) for column in zip(*scaled, strict=True)]


def _weights(rows: dict[str, tuple[int, ...]]) -> bytes:
    return b"".join(w.to_bytes(2, "little", signed=True) for r in rows.values() for w in r)


def _pack(rows: dict[str, tuple[int, ...]], width: int) -> colsum.Rows:
    return colsum.Rows(dict(zip(rows, colsum.pack(_weights(rows), width), strict=True)))


def _rows(rng: random.Random, count: int, width: int) -> dict[str, tuple[int, ...]]:
    return {
        f"f{k}": tuple(rng.choice((-32767, 32767, 0, rng.randint(-32767, 32767)))
                       for _ in range(width))
        for k in range(count)
    }


def test_packed_sums_equal_column_sums_with_extreme_and_real_valued_features() -> None:
    rng = random.Random(3)
    width = 16
    rows = _rows(rng, 400, width)
    packed = _pack(rows, width)
    for _ in range(300):
        names = rng.sample([*rows, "unknown1", "unknown2"], rng.randint(0, 150))
        feats = dict.fromkeys(names, 1.0)
        if rng.random() < 0.7:
            feats["f1"] = rng.uniform(-1, 1)  # the rules' real values come last
            feats["f2"] = rng.choice((0.0, 1.0, -0.37))
        got = colsum.column_sums(feats, packed, width)
        assert list(got) == _naive(feats, rows, width)
        assert [type(v) for v in got] == [type(v) for v in _naive(feats, rows, width)]


def test_ten_thousand_features_of_the_largest_weight_do_not_spill_into_the_next_lane() -> None:
    rows = {f"f{k}": (32767, -32767, 32767) for k in range(10_000)}
    feats = dict.fromkeys(rows, 1.0)
    packed = _pack(rows, 3)
    sums = colsum.column_sums(feats, packed, 3)
    assert list(sums) == [327_670_000, -327_670_000, 327_670_000]


def test_a_comment_without_known_features_scores_zero() -> None:
    rows = {"f": (1, 2)}
    assert list(colsum.column_sums({"x": 1.0}, _pack(rows, 2), 2)) == [0.0, 0.0]


def test_a_packed_row_unpacks_to_its_weights() -> None:
    rows = {"a": (-32767, 0, 32767, -1, 1), "b": (5, -5, 0, 0, 32767)}
    packed = _pack(rows, 5)
    assert {n: tuple(colsum.unpack(p, 5)) for n, p in packed.table.items()} == rows
    assert [colsum.weight(packed.table["a"], j) for j in range(5)] == list(rows["a"])


def test_rows_made_on_first_use_sum_as_rows_packed_at_load() -> None:
    rng = random.Random(5)
    width = 16
    rows = _rows(rng, 300, width)
    lazy = colsum.Rows.lazy(list(rows), _weights(rows), width)
    assert min(lazy.table.values()) < 0  # nothing made before a comment asks
    for _ in range(200):  # later comments find some of their rows made already
        names = rng.sample([*rows, "unknown"], rng.randint(0, 60))
        feats = dict.fromkeys(names, 1.0)
        feats["f7"] = rng.uniform(-1, 1)
        assert list(colsum.column_sums(feats, lazy, width)) == _naive(feats, rows, width)
    assert {n: tuple(colsum.unpack(lazy.made(p), width)) for n, p in lazy.table.items()} == rows
    assert lazy.row("unknown") is None


def test_the_shipped_models_packed_rows_are_the_files_int16_weights() -> None:
    with gzip.open(heads.MODEL_PATH, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    flat = array("h")
    flat.frombytes(base64.b64decode(data["weights"]))
    if sys.byteorder != "little":
        flat.byteswap()
    m = heads.load(heads.MODEL_PATH)
    names = data["features"].split("\n")
    assert len(m.packed) == len(names)
    for k in range(0, len(names), 97):
        assert m.row(names[k]) == list(flat[k * m.width : (k + 1) * m.width])
    assert m.row("no such feature") is None
