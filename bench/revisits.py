"""Benchmark: what staff-entered 回访 add to a monthly team report, side by side in one process.

    .venv/bin/python bench/revisits.py                          # 50 agents, 200,000 responses
    .venv/bin/python bench/revisits.py --responses 1000000 --agents 100

On the data set of bench/points.py (built once into its own cached SQLite file), each figure
is the median of `--repeat` runs of: the month's team report as it is by default (baseline;
`points.staff_entered_weight` 1.0 adds nothing to its queries), the same report with the
weight at 0.5 (the GROUP BY gains the staff-entered part of each sum), and the 回访率 query
(`surveys.assessment.revisit_rates`, read beside every /report and export); then one agent's
report (`/me`, `/agent`, the weekly summary) and that agent's own 回访率 query, read beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.points import PERIOD, build_sqlite  # noqa: E402

AS_OF = datetime(2026, 12, 5)


async def _median(repeat: int, run: Callable[[], Awaitable[object]]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        await run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def measure(path: Path, repeat: int) -> dict[str, float]:
    """Return the median seconds of the three paths on the file."""
    from sqlmodel import func, select

    from scoring.periods import parse_period
    from scoring.points.config import PointsConfig
    from surveys.assessment.agent_reports import agent_report
    from surveys.assessment.reports import team_report
    from surveys.assessment.revisit_rates import revisit_rates
    from surveys.core.db import create_engine, session_factory
    from surveys.models import Agent

    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    db, period = session_factory(engine), parse_period(PERIOD)
    try:
        await team_report(db=db, period=period, config=PointsConfig(), as_of=AS_OF)  # warm
        async with db() as s:
            agent = int((await s.exec(select(func.min(Agent.id)))).one() or 0)
        return {
            "team report (weight 1.0, baseline)": await _median(repeat, lambda: team_report(
                db=db, period=period, config=PointsConfig(), as_of=AS_OF)),
            "team report (weight 0.5)": await _median(repeat, lambda: team_report(
                db=db, period=period, config=PointsConfig(staff_entered_weight=0.5),
                as_of=AS_OF)),
            "回访率 query": await _median(repeat, lambda: revisit_rates(db=db, period=period)),
            "one agent's report": await _median(repeat, lambda: agent_report(
                db=db, agent_id=agent, period=period, config=PointsConfig(), as_of=AS_OF)),
            "one agent's 回访率 query": await _median(repeat, lambda: revisit_rates(
                db=db, period=period, agent_id=agent)),
        }
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    """Time the team report with and without staff-entered 回访 on a generated month."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    path = Path(tempfile.gettempdir()) / "ownervoice-bench" / (
        f"revisits-{args.agents}a-{args.responses}r.db")
    path.parent.mkdir(exist_ok=True)
    if not path.exists():
        print(f"building {path.name} ... {build_sqlite(path, args.agents, args.responses):.1f} s")
    figures = asyncio.run(measure(path, args.repeat))
    base = figures["team report (weight 1.0, baseline)"]
    for name, seconds in figures.items():
        print(f"{name:40s} {seconds * 1000:8.0f} ms  ×{seconds / base:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
