"""Fairness benchmark: do the points rank agents by their real service? (issue 12)

    .venv/bin/python bench/fairness.py                    # 5 seeds, the configured defaults
    .venv/bin/python bench/fairness.py --seeds 1 --quick  # one seed
    .venv/bin/python bench/fairness.py --grid              # the search that chose the defaults

A team of 40 agents with a hidden true quality works for 12 months (bench/fairness_sim.py);
the rows are bulk-inserted into a fresh SQLite file and every month's points come from the
real service (`surveys.assessment.reports.team_report`). Side by side, from the same records:
the plain mean of stars, and the mean of stars minus the number of valid complaints.
Reported per method: Spearman rank correlation with the true quality (per month, mean over
months; and over the agent-months with at most 5 closed orders), the share of 待改进 grades
given to agents above the team's median true quality, and month-to-month rank stability.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fairness_sim import INSERTS, YEAR, World, people_rows, simulate  # noqa: E402

from scoring.periods import Period, parse_period  # noqa: E402
from scoring.points.config import PointsConfig  # noqa: E402
from scoring.points.model import QUESTIONS, AgentStats, compute_team  # noqa: E402

SMALL = 5  # "agents with at most 5 orders"
AS_OF = datetime(YEAR + 1, 1, 20)
Scores = dict[int, float | None]


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rho with average ranks for ties (NaN with fewer than 3 pairs)."""
    if len(x) < 3:
        return float("nan")

    def ranks(values: Sequence[float]) -> np.ndarray:
        arr = np.asarray(values, dtype=float)
        order = arr.argsort(kind="stable")
        r = np.empty(len(arr))
        r[order] = np.arange(len(arr), dtype=float)
        for v in np.unique(arr):  # ties share their mean rank
            tied = arr == v
            r[tied] = r[tied].mean()
        return r

    rx, ry = ranks(x), ranks(y)
    if rx.std() == 0 or ry.std() == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def build(world: World, path: Path) -> None:
    """Create the schema and bulk-insert the simulated year (the data, not the figures)."""
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    import surveys.models  # noqa: F401  (registers the tables)

    path.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    with con:
        for sql, rows in people_rows(world):
            con.executemany(sql, rows)
        for name, sql in INSERTS.items():
            con.executemany(sql, world.rows[name])
    con.execute("ANALYZE")
    con.close()


def months(world: World) -> list[Period]:
    """Return the simulated months as periods (company time zone)."""
    return [parse_period(f"{YEAR}-{m + 1:02d}") for m in range(world.params.months)]


async def month_stats(url: str, periods: list[Period]) -> list[list[AgentStats]]:
    """Each month's per-agent counts, from the real SQL aggregation."""
    from surveys.assessment.stats import period_counts
    from surveys.core.db import create_engine, session_factory

    engine = create_engine(url)
    db = session_factory(engine)
    out = []
    try:
        for period in periods:
            async with db() as session, session.begin():
                out.append((await period_counts(session, start=period.start, end=period.end,
                                                 as_of=AS_OF)).stats)
    finally:
        await engine.dispose()
    return out


async def service_totals(url: str, periods: list[Period], config: PointsConfig
                         ) -> list[tuple[Scores, dict[int, str | None]]]:
    """Each month's totals and grades from the real team report service."""
    from surveys.assessment.reports import team_report
    from surveys.core.db import create_engine, session_factory

    engine = create_engine(url)
    try:
        out = []
        for period in periods:
            report = await team_report(db=session_factory(engine), period=period,
                                       config=config, as_of=AS_OF)
            out.append(({r.agent_id: r.total for r in report.rows},
                        {r.agent_id: r.grade for r in report.rows}))
        return out
    finally:
        await engine.dispose()


def mean_stars(s: AgentStats) -> float | None:
    """Return the plain mean of every star the agent got (all questions)."""
    n = sum(s.ratings[q].n for q in QUESTIONS)
    return sum(s.ratings[q].total for q in QUESTIONS) / n if n else None


def stars_minus_complaints(s: AgentStats) -> float | None:
    """Mean stars minus the number of valid complaints."""
    mean = mean_stars(s)
    return None if mean is None else mean - s.complaints


BASELINES: dict[str, Callable[[AgentStats], float | None]] = {
    "mean stars": mean_stars, "stars − complaints": stars_minus_complaints,
}


def _filled(scores: Scores) -> dict[int, float]:
    # An agent without any rating gets the month's mean (as the points do): no evidence.
    known = [v for v in scores.values() if v is not None]
    fill = statistics.fmean(known) if known else 0.0
    return {k: (fill if v is None else v) for k, v in scores.items()}


@dataclass
class Metrics:
    rho_all: float  # mean over months of Spearman over the month's agents
    rho_small: float  # over agent-months with ≤ SMALL closed orders, pooled
    small_n: int
    flagged_above_median: float | None  # share of 待改进 above the median truth
    flagged: int
    stability: float  # mean Spearman between consecutive months


def metrics(world: World, stats: list[list[AgentStats]], scores: list[Scores],
            flags: list[set[int]]) -> Metrics:
    """Compare each month's scores with the hidden truth."""
    truth = {a.agent_id: a.truth for a in world.agents}
    median = statistics.median(truth.values())
    rhos, small_x, small_y, stab = [], [], [], []
    for month, month_scores in enumerate(scores):
        filled = _filled(month_scores)
        ids = sorted(filled)
        rhos.append(spearman([filled[i] for i in ids], [truth[i] for i in ids]))
        small = [s.agent_id for s in stats[month] if s.closed_orders <= SMALL]
        small_x += [filled[i] for i in small if i in filled]
        small_y += [truth[i] for i in small if i in filled]
        if month:
            before = _filled(scores[month - 1])
            both = sorted(set(before) & set(filled))
            stab.append(spearman([before[i] for i in both], [filled[i] for i in both]))
    flagged = [i for month in flags for i in month]
    above = sum(1 for i in flagged if truth[i] > median)
    return Metrics(
        rho_all=float(np.nanmean(rhos)), rho_small=spearman(small_x, small_y),
        small_n=len(small_x), flagged_above_median=above / len(flagged) if flagged else None,
        flagged=len(flagged), stability=float(np.nanmean(stab)),
    )


def evaluate(world: World, stats: list[list[AgentStats]], config: PointsConfig
             ) -> dict[str, Metrics]:
    """Score one world: points (pure model on the service's counts) and both baselines."""
    results: dict[str, Metrics] = {}
    point_scores, point_flags = [], []
    for month in stats:
        _, rows = compute_team(month, config)
        point_scores.append({r.agent_id: r.total for r in rows})
        point_flags.append({r.agent_id for r in rows if r.grade == "needs_improvement"})
    results["points"] = metrics(world, stats, point_scores, point_flags)
    for name, score in BASELINES.items():
        scores = [{s.agent_id: score(s) for s in month} for month in stats]
        # Flag as many agents as the points grade 待改进, the baseline's lowest.
        flags = []
        for month_scores, pf in zip(scores, point_flags, strict=True):
            ordered = sorted(_filled(month_scores).items(), key=lambda kv: kv[1])
            flags.append({i for i, _ in ordered[:len(pf)]})
        results[name] = metrics(world, stats, scores, flags)
    return results


LONGER = {
    "quarter": [f"{YEAR}-{a:02d}-01..{YEAR}-{b:02d}-{d}" for a, b, d in
                ((1, 3, 31), (4, 6, 30), (7, 9, 30), (10, 12, 31))],
    "year": [f"{YEAR}-01-01..{YEAR}-12-31"],
}


@dataclass
class Prepared:
    seed: int
    world: World
    url: str
    periods: list[Period]
    stats: list[list[AgentStats]]  # per month
    longer: dict[str, list[list[AgentStats]]]  # quarters, the year


def prepare(seed: int, folder: Path) -> Prepared:
    """Simulate one seed, load it into SQLite, read each period's counts from the service."""
    world = simulate(seed)
    path = folder / f"fairness-{seed}.db"
    build(world, path)
    url = f"sqlite+aiosqlite:///{path}"
    periods = months(world)
    longer = {kind: asyncio.run(month_stats(url, [parse_period(p) for p in labels]))
              for kind, labels in LONGER.items()}
    return Prepared(seed, world, url, periods, asyncio.run(month_stats(url, periods)), longer)


def rank_only(world: World, stats: list[list[AgentStats]], config: PointsConfig
              ) -> dict[str, float]:
    """Mean Spearman with the truth per period, for the points and each baseline."""
    truth = {a.agent_id: a.truth for a in world.agents}
    out: dict[str, list[float]] = {}
    for period in stats:
        scores = {"points": {r.agent_id: r.total for r in compute_team(period, config)[1]}}
        scores |= {name: {s.agent_id: f(s) for s in period} for name, f in BASELINES.items()}
        for name, values in scores.items():
            filled = _filled(values)
            ids = sorted(filled)
            out.setdefault(name, []).append(
                spearman([filled[i] for i in ids], [truth[i] for i in ids]))
    return {name: float(np.nanmean(v)) for name, v in out.items()}


def oracle(world: World) -> float:
    """Spearman of the agents' true expected stars with the truth: the most ratings can tell."""
    from fairness_sim import DIMENSIONS

    truth = [a.truth for a in world.agents]
    return spearman([float(np.mean([a.stars[d] for d in DIMENSIONS])) for a in world.agents],
                    truth)


def config_with(base: PointsConfig, **changes: Any) -> PointsConfig:
    """Return a copy of the config with dotted keys changed, validated."""
    data = base.model_dump()
    for key, value in changes.items():
        node = data
        *parents, leaf = key.split("__")
        for p in parents:
            node = node[p]
        node[leaf] = value
    return PointsConfig.model_validate(data)


GRID: dict[str, list[Any]] = {
    "shrinkage_k": [3, 5, 10],
    "complaint_frequency__shrinkage_orders": [10, 20, 40, 80],
    "complaint_frequency__cap": [10, 20, 30],
    "complaint_handling__prior_complaints": [0, 1, 2, 4],
    "total_satisfaction_weight": [0.5, 0.6, 0.7],
    "workload_cap": [1.0, 1.1],
}
GRADE_PASS = [55, 60, 65, 70]


def _row(label: str, ms: list[Metrics]) -> str:
    flagged = [m.flagged_above_median or 0.0 for m in ms]
    return (f"{label}  {statistics.fmean(m.rho_all for m in ms):.3f}"
            f"    {statistics.fmean(m.rho_small for m in ms):.3f}"
            f"      {min(m.rho_all for m in ms):.3f}"
            f"       {min(m.rho_small for m in ms):.3f}"
            f"   {statistics.fmean(flagged):6.1%} {max(flagged):6.1%}"
            f"  {statistics.fmean(m.flagged for m in ms):6.1f}"
            f"  {statistics.fmean(m.stability for m in ms):.3f}")


HEAD = "  rho_all  rho_small  worst_all  worst_small  >med   worst  flagged  stable"


def grid(prepared: list[Any], base: PointsConfig) -> None:
    """Score every combination of GRID over every seed, then the pass mark of the best."""
    keys = list(GRID)
    rows = []
    for values in itertools.product(*(GRID[k] for k in keys)):
        config = config_with(base, **dict(zip(keys, values, strict=True)))
        ms = [evaluate(p.world, p.stats, config)["points"] for p in prepared]
        rows.append((values, ms))
    rows.sort(key=lambda r: -statistics.fmean(m.rho_all + m.rho_small for m in r[1]))
    print("model settings by mean rho (all + small) over seeds, best first:")
    print("  " + " ".join(f"{k.split('__')[-1][:12]:>12s}" for k in keys) + HEAD)
    for values, ms in [*rows[:12], *rows[-3:]]:
        print("  " + _row(" ".join(f"{v!s:>12s}" for v in values), ms))
    best = config_with(base, **dict(zip(keys, rows[0][0], strict=True)))
    print("grade_pass (待改进 below it) with the best settings:")
    for mark in GRADE_PASS:
        config = config_with(best, grade_pass=mark)
        ms = [evaluate(p.world, p.stats, config)["points"] for p in prepared]
        print("  " + _row(f"{mark:>12d}", ms))


def report(prepared: list[Prepared], config: PointsConfig) -> bool:
    """Print each seed's figures, checked against the real service; return the goals met."""
    met = True
    names = ["points", *BASELINES]
    print(f"{'seed':>4s} {'method':20s} {'rho month':>9s} {'rho ≤5':>7s} {'n ≤5':>5s} "
          f"{'待改进 >med':>14s} {'stable':>6s} {'rho qtr':>7s} {'rho year':>8s}")
    for p in prepared:
        results = evaluate(p.world, p.stats, config)
        service = asyncio.run(service_totals(p.url, p.periods, config))
        pure = [{r.agent_id: r.total for r in compute_team(m, config)[1]} for m in p.stats]
        assert [totals for totals, _ in service] == pure, "the service and the model disagree"
        longer = {kind: rank_only(p.world, stats, config) for kind, stats in p.longer.items()}
        for name in names:
            m = results[name]
            flagged = ("—" if m.flagged_above_median is None
                       else f"{m.flagged_above_median:.1%} of {m.flagged}")
            print(f"{p.seed:>4d} {name:20s} {m.rho_all:9.3f} {m.rho_small:7.3f} {m.small_n:5d} "
                  f"{flagged:>14s} {m.stability:6.3f} {longer['quarter'][name]:7.3f} "
                  f"{longer['year'][name]:8.3f}")
        print(f"{p.seed:>4d} {'(ceiling: true stars)':20s} {oracle(p.world):9.3f}")
        pts, others = results["points"], [results[n] for n in BASELINES]
        met &= (pts.rho_all >= 0.95 and pts.rho_small >= 0.90
                and (pts.flagged_above_median or 0.0) <= 0.05
                and all(pts.rho_all > o.rho_all and pts.rho_small > o.rho_small
                        for o in others))
    return met


def main(argv: list[str] | None = None) -> int:
    """Run the fairness simulation over the seeds and print the metrics."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--grid", action="store_true", help="search the defaults")
    args = parser.parse_args(argv)
    base = PointsConfig()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        seeds = range(args.first_seed, args.first_seed + args.seeds)
        prepared = [prepare(seed, Path(folder)) for seed in seeds]
        print(f"seeds {seeds.start}–{seeds.stop - 1}, {prepared[0].world.params.agents} agents "
              f"× 12 months, {sum(len(p.world.rows['orders']) for p in prepared)} work "
              f"orders, built in {time.perf_counter() - started:.1f} s")
        if args.grid:
            grid(prepared, base)
            return 0
        met = report(prepared, base)
    print(f"{time.perf_counter() - started:.0f} s; goals (monthly rho ≥ 0.95, rho ≤5 ≥ 0.90, "
          "待改进 above median ≤ 5 %, ahead of both baselines) on every seed:",
          "met" if met else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
