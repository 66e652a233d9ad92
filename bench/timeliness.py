"""Benchmark: a month's response and resolution times (issue 14 item 5), lean vs naive.

    .venv/bin/python bench/timeliness.py                   # 100 agents, 1,250,000 orders
    .venv/bin/python bench/timeliness.py --orders 100000   # quick run

Builds a SQLite file (cached under the temp dir, keyed by size) of closed work orders with
opening, first-action and closing times, then runs, side by side in this process:

- **lean**: the real service `surveys.assessment.order_pass.order_timeliness` — the database
  computes each duration, rows are read in pages by id (covering index) into columns, numpy
  splits them per cell and takes percentiles;
- **naive**: the first version of it — every order's three datetimes loaded as Python objects,
  durations and percentiles in pure Python (the baseline).

Both must give the same figures (the script exits 1 otherwise). Memory is the peak of Python
allocations (tracemalloc, a second run of each path, so timing runs are not slowed by it).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

from scoring.periods import parse_period  # noqa: E402
from scoring.timeliness import Norm, TimelinessReport, TimesFigures  # noqa: E402
from surveys import models  # noqa: E402
from surveys.assessment.order_pass import order_timeliness  # noqa: E402
from surveys.core.db import create_engine as create_async_engine  # noqa: E402
from surveys.core.db import session_factory  # noqa: E402

PERIOD = "2026-11"
MONTH_START = datetime(2026, 10, 31, 16, 0)  # 2026-11-01 00:00 Asia/Shanghai in UTC
CATEGORIES = ("water_power", "elevator", "access_security", "cleaning", "greening", "parking",
              "facilities", "fees_enquiry", "other")
VERSION = 1


def _ts(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def build(path: Path, orders: int, agents: int) -> None:
    """Write the orders (deterministic) into a fresh SQLite file."""
    SQLModel.metadata.create_all(create_engine(f"sqlite:///{path}"))
    rng = random.Random(14)
    wo, sv = [], []
    for i in range(1, orders + 1):
        opened = MONTH_START + timedelta(seconds=rng.randrange(29 * 24 * 3600))
        urgent = rng.random() < 0.1
        first = opened + timedelta(hours=rng.expovariate(1 / (1.5 if urgent else 6)))
        closed = first + timedelta(hours=rng.expovariate(1 / (12 if urgent else 40)))
        closed = min(closed, MONTH_START + timedelta(days=30) - timedelta(seconds=1))
        first = min(first, closed)
        wo.append((i, f"WO-{i}", 1, 1, rng.randrange(1, agents + 1), "repair",
                   "urgent" if urgent else "normal", "", rng.choice(CATEGORIES), _ts(opened),
                   _ts(first) if rng.random() < 0.8 else None, _ts(closed), _ts(closed)))
        sv.append((i, i, 1, wo[-1][4], "submitted", _ts(closed)))
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO work_order (id, external_id, community_id, owner_id, agent_id, kind, "
            "urgency, title, category, opened_at, first_action_at, closed_at, created_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", wo)
        conn.executemany("INSERT INTO survey (id, work_order_id, owner_id, agent_id, status, "
                         "created_at) VALUES (?,?,?,?,?,?)", sv)


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = int(rank), min(int(rank) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


async def naive(db: Any, period: Any) -> dict[int, float | None]:
    """Load every order's datetimes; durations and percentiles in Python (per agent p90)."""
    wo, s = models.WorkOrder, models.Survey
    stmt = (select(s.agent_id, wo.opened_at, wo.closed_at)  # type: ignore[call-overload]
            .join(s, s.work_order_id == wo.id)
            .where(wo.closed_at >= period.start, wo.closed_at < period.end,
                   wo.opened_at.is_not(None)))
    async with db() as session:
        rows = (await (await session.connection()).execute(stmt)).all()
    by_agent: dict[int, list[float]] = {}
    for agent_id, opened, closed in rows:
        by_agent.setdefault(agent_id, []).append((closed - opened).total_seconds() / 3600)
    return {a: _pct(v, 90) for a, v in by_agent.items()}


async def lean(db: Any, period: Any) -> dict[int, float | None]:
    """Run the real service (per agent p90 returned for the comparison)."""
    report: TimelinessReport = await order_timeliness(db=db, period=period, norm=Norm())
    figures: dict[int, TimesFigures] = report.by_agent
    return {a: f.resolution_p90 for a, f in figures.items()}


async def _timed(fn: Callable[[], Awaitable[Any]]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = await fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


async def _peak(fn: Callable[[], Awaitable[Any]]) -> float:
    tracemalloc.start()
    await fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


async def main() -> int:
    """Time the timeliness report against the naive path on a generated month."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_250_000)
    parser.add_argument("--agents", type=int, default=100)
    args = parser.parse_args()
    folder = Path(tempfile.gettempdir()) / "ownervoice-bench"
    folder.mkdir(exist_ok=True)
    path = folder / f"timeliness-v{VERSION}-{args.agents}a-{args.orders}o.db"
    if not path.exists():
        started = time.perf_counter()
        build(path.with_suffix(".tmp"), args.orders, args.agents)
        path.with_suffix(".tmp").rename(path)
        print(f"built {path} in {time.perf_counter() - started:.0f} s")
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}")
    db = session_factory(engine)
    period = parse_period(PERIOD)
    results = {}
    for name, fn in (("lean", lean), ("naive", naive)):
        results[name], wall, cpu = await _timed(lambda fn=fn: fn(db, period))
        peak = await _peak(lambda fn=fn: fn(db, period))
        print(f"{name:5}  wall {wall:6.2f} s  cpu {cpu:6.2f} s  python peak {peak:7.1f} MB")
    await engine.dispose()
    same = results["lean"].keys() == results["naive"].keys() and all(
        abs((results["lean"][a] or 0) - (results["naive"][a] or 0)) < 1e-3
        for a in results["lean"])
    print("same per-agent resolution p90:", same)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
