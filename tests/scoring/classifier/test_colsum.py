"""Packed column sums give exactly what summing the weight rows column by column gives."""

from __future__ import annotations

import random

from scoring.classifier import colsum


def _naive(feats: dict[str, float], rows: dict[str, tuple[int, ...]], width: int) -> list[float]:
    found = [(rows[n], v) for n, v in feats.items() if rows.get(n)]
    scaled = [r if v == 1.0 else tuple(v * w for w in r) for r, v in found]
    if not scaled:
        return [0.0] * width
    return [sum(column) for column in zip(*scaled, strict=True)]


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
    packed = colsum.pack_rows(rows, width)
    for _ in range(300):
        names = rng.sample([*rows, "unknown1", "unknown2"], rng.randint(0, 150))
        feats = dict.fromkeys(names, 1.0)
        if rng.random() < 0.7:
            feats["f1"] = rng.uniform(-1, 1)  # the rules' real values come last
            feats["f2"] = rng.choice((0.0, 1.0, -0.37))
        got = colsum.column_sums(feats, rows, packed, width)
        assert list(got) == _naive(feats, rows, width)
        assert [type(v) for v in got] == [type(v) for v in _naive(feats, rows, width)]


def test_ten_thousand_features_of_the_largest_weight_do_not_spill_into_the_next_lane() -> None:
    rows = {f"f{k}": (32767, -32767, 32767) for k in range(10_000)}
    feats = dict.fromkeys(rows, 1.0)
    packed = colsum.pack_rows(rows, 3)
    sums = colsum.column_sums(feats, rows, packed, 3)
    assert list(sums) == [327_670_000, -327_670_000, 327_670_000]


def test_a_comment_without_known_features_scores_zero() -> None:
    rows = {"f": (1, 2)}
    assert list(colsum.column_sums({"x": 1.0}, rows, colsum.pack_rows(rows, 2), 2)) == [0.0, 0.0]
