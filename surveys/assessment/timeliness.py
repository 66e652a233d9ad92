"""Durations for the response and resolution times, computed by the database and rounded.

`hours_between` emits the hours between two timestamps (julianday on SQLite, EXTRACT(EPOCH …)
on PostgreSQL); `round6` rounds them in numpy exactly as Python's `round(x, 6)`. The orders
are read by `order_pass` (one pass for every section that counts closed orders); numpy takes
the percentiles (`scoring.timeliness`), so SQLite and PostgreSQL give the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class hours_between(FunctionElement[float]):  # lower case: it reads like the SQL it emits
    """Hours from the first timestamp to the second, computed by the database."""

    type = Float()
    name = "hours_between"
    inherit_cache = True


@compiles(hours_between)
def _hours_sqlite(element: hours_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 24.0)"


@compiles(hours_between, "postgresql")
def _hours_postgresql(element: hours_between, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    # A double, not EXTRACT's numeric: asyncpg would build a Decimal per value, 40 % of the
    # one pass's client CPU (bench/report_month.py --pg); `round6` rounds it to the same value.
    return f"(CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS double precision) / 3600.0)"


def hours(values: Sequence[Any]) -> np.ndarray:
    """Return durations as floats rounded to the millisecond (NaN where there is none).

    Rounded exactly as Python's `round(x, 6)` (julianday's float noise must not push 2 h past
    a 2 h norm), without a Python call per value: see `round6`.
    """
    return round6(np.array(values, dtype=float))  # None -> NaN; PostgreSQL's numeric -> float


def round6(data: np.ndarray) -> np.ndarray:
    """Return `round(x, 6)` of each value, bit for bit, computed by numpy.

    `round` takes the integer k nearest to the exact x·10⁶ (ties to even) and returns the
    double nearest to k / 10⁶. numpy's product x * 1e6 is off the exact one by at most half
    a unit in its last place, so `rint` finds the same k unless that product lies within a
    few units of a tie; those few values go through `round` itself. k / 1e6 divides two
    exact doubles, which IEEE rounds to the nearest, as `round` does.
    """
    scaled = data * 1e6
    with np.errstate(invalid="ignore"):  # NaN (no duration) stays NaN and is never near
        near_tie = np.abs(scaled - np.floor(scaled) - 0.5) <= 4 * np.spacing(np.abs(scaled))
    out = np.rint(scaled) / 1e6
    if near_tie.any():
        where = np.flatnonzero(near_tie)
        out[where] = [round(x, 6) for x in data[where].tolist()]
    return out
