"""Durations are rounded by numpy exactly as Python's round(x, 6) rounds them, bit for bit:
on ties, next to ties, negative, tiny, huge and missing values."""

from __future__ import annotations

import math
import random

import numpy as np

from surveys.assessment.timeliness import round6


def _python(values: list[float]) -> list[float]:
    return [x if math.isnan(x) else round(x, 6) for x in values]


def _same_bits(got: np.ndarray, want: list[float]) -> bool:
    return bool(np.array_equal(got.view(np.int64), np.array(want, dtype=float).view(np.int64)))


def test_round6_equals_pythons_round_on_random_durations_of_every_size() -> None:
    rng = random.Random(6)
    values = [rng.uniform(-1, 1) * 10.0 ** rng.randint(-9, 12) for _ in range(60_000)]
    values += [rng.uniform(0, 200) for _ in range(30_000)]
    assert _same_bits(round6(np.array(values)), _python(values))


def test_round6_equals_pythons_round_on_ties_and_their_neighbours() -> None:
    rng = random.Random(7)
    values: list[float] = []
    for _ in range(10_000):
        tie = (rng.randrange(-10**11, 10**11) + 0.5) / 1e6  # halfway between two 6th decimals
        values += [tie, math.nextafter(tie, math.inf), math.nextafter(tie, -math.inf),
                   2.0000005, 24.0000005, 0.0000005, -0.0000005]
    assert _same_bits(round6(np.array(values)), _python(values))


def test_round6_keeps_missing_zero_signed_and_huge_values_as_round_does() -> None:
    values = [math.nan, 0.0, -0.0, -1e-9, 1e-9, 2.0 ** 60, -(2.0 ** 53) + 0.5, math.inf, 1e300]
    got = round6(np.array(values))
    assert np.isnan(got[0])
    assert _same_bits(got[1:], _python(values[1:]))
