"""Benchmark: a monthly team report over 1,000,000 responses, SQL aggregation vs naive Python.

    .venv/bin/python bench/points.py                  # 100 agents, 1,000,000 responses
    .venv/bin/python bench/points.py --plain          # the same without categories/buildings
    .venv/bin/python bench/points.py --responses 50000 --agents 20   # quick run
    .venv/bin/python bench/points.py --db-url postgresql+asyncpg://...  # fills it once

The SQLite file is built once with executemany and cached under the temp dir, keyed by size.
Each path runs in its own subprocess, so the peak RSS of one does not hide the other's:
`sql` is the real service (`surveys.assessment.reports.team_report`: GROUP BY queries for the month
and the month before); `naive` loads every survey, response, work order and complaint row of
the month into Python and counts there. Both feed the same formulas; totals must match.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PERIOD = "2026-11"
MONTH_START = datetime(2026, 10, 31, 16, 0)  # 2026-11-01 00:00 Asia/Shanghai in UTC
MONTH_SECONDS = 30 * 24 * 3600
RESPONSE_RATE = 0.8
VERSION = 7  # bump when the generated data or the schema (indexes) changes
URGENT_SHARE = 0.1  # urgent orders: answered and closed faster
FIRST_ACTION_SHARE = 0.8  # orders whose first action the property system sends
# Work-order categories and how often each comes up (issue 14); --plain leaves them out,
# with buildings and rooms, as orders closed before categories existed.
CATEGORIES = (("water_power", 30), ("elevator", 8), ("access_security", 8), ("cleaning", 15),
              ("greening", 5), ("parking", 10), ("facilities", 10), ("fees", 9), ("other", 5))
BUILDINGS = 20
REPEAT_SHARE = 0.05  # orders repeating the owner's previous one (same unit and category)
PLAIN = [False]  # set by --plain


def _cache_path(agents: int, responses: int) -> Path:
    folder = Path(tempfile.gettempdir()) / "ownervoice-bench"
    folder.mkdir(exist_ok=True)
    kind = "-plain" if PLAIN[0] else ""
    return folder / f"points-v{VERSION}-{agents}a-{responses}r{kind}.db"


def _unit(owner: int) -> tuple[str, str]:
    """The building and room of a bench owner (1..1000): 20 buildings of 50 homes."""
    return str(1 + (owner - 1) % BUILDINGS), str(101 + (owner - 1) // BUILDINGS)


def _ts(value: datetime) -> str:
    # SQLAlchemy's SQLite text format: the same width, so boundaries compare like datetimes.
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _rows(agents: int, responses: int) -> dict[str, Any]:
    """Generate every row (deterministic): orders, surveys, responses, complaints."""
    rng = random.Random(42)
    surveys = int(responses / RESPONSE_RATE)
    weights = [1.0 + 0.25 * (a % 5) for a in range(agents)]  # uneven workloads
    agent_of = rng.choices(range(1, agents + 1), weights=weights, k=surveys)
    now = "2026-12-05 00:00:00.000000"
    orders, survey_rows, response_rows, complaints = [], [], [], []
    answered = set(rng.sample(range(surveys), responses))
    codes, weights_c = zip(*CATEGORIES, strict=True)
    category_of = rng.choices(codes, weights=weights_c, k=surveys)
    # Orders enter the database when they are closed, so ids follow closing times.
    closings = sorted(rng.randrange(MONTH_SECONDS) for _ in range(surveys))
    for i in range(surveys):
        sid = i + 1
        closed = MONTH_START + timedelta(seconds=closings[i])
        urgent = rng.random() < URGENT_SHARE
        opened = closed - timedelta(hours=rng.expovariate(1 / (12 if urgent else 40)))
        first_action = None
        if rng.random() < FIRST_ACTION_SHARE:
            first_action = min(closed, opened + timedelta(
                hours=rng.expovariate(1 / (1.5 if urgent else 6))))
        sent = closed + timedelta(minutes=5)
        agent = agent_of[i]
        owner = 1 + i % 1000
        unit: tuple[str | None, str | None] = (None, None)
        category, occurrence, repeat_of = None, 1, None
        if not PLAIN[0]:
            unit, category = _unit(owner), category_of[i]
            if i >= 1000 and rng.random() < REPEAT_SHARE:
                # The owner's previous order (owners take turns): same unit and category.
                category_of[i] = category = category_of[i - 1000]
                occurrence, repeat_of = 2, sid - 1000
        orders.append(
            (
                sid,
                f"WO{sid}",
                1,
                owner,
                agent,
                "repair",
                "urgent" if urgent else "normal",
                "",
                _ts(opened),
                _ts(first_action) if first_action else None,
                _ts(closed),
                now,
                category,
                *unit,
                occurrence,
                repeat_of,
            )
        )
        status = "submitted" if i in answered else "expired"
        survey_rows.append((sid, sid, owner, agent, status, _ts(closed), _ts(sent)))
        if i not in answered:
            continue
        low = rng.random() < 0.03
        ratings = [rng.choice((1, 2)) if low else rng.choice((3, 4, 4, 5, 5, 5)) for _ in range(4)]
        voided = rng.random() < 0.005
        response_rows.append(
            (sid, sid, *ratings, int(voided), now, now, _ts(sent + timedelta(hours=2)))
        )
        if low:
            opened = sent + timedelta(hours=2)
            acked = opened + timedelta(hours=rng.choice((1, 3, 30)))
            resolved = rng.random() < 0.8
            satisfied = rng.choice((None, 1, 0)) if resolved else None
            complaints.append(
                (
                    "low_rating",
                    sid,
                    sid,
                    owner,
                    agent,
                    "open",
                    _ts(opened),
                    _ts(opened + timedelta(hours=24)),
                    _ts(acked),
                    _ts(opened + timedelta(hours=40)) if resolved else None,
                    satisfied,
                    int(rng.random() < 0.05),
                    "[]",
                    "{}",
                    0,
                )
            )
    return {
        "orders": orders,
        "surveys": survey_rows,
        "responses": response_rows,
        "complaints": complaints,
    }


INSERTS = {
    "orders": "INSERT INTO work_order (id, external_id, community_id, owner_id, agent_id, kind, "
    "urgency, title, opened_at, first_action_at, closed_at, created_at, category, building, "
    "room, occurrence, repeat_of_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "surveys": "INSERT INTO survey (id, work_order_id, owner_id, agent_id, status, created_at, "
    "sent_at) VALUES (?,?,?,?,?,?,?)",
    "responses": "INSERT INTO response (id, survey_id, overall, attitude, clarity, timeliness, "
    "voided, created_at, updated_at, submitted_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
    "complaints": "INSERT INTO complaint (source, survey_id, work_order_id, owner_id, agent_id, "
    "status, opened_at, ack_deadline, acknowledged_at, resolved_at, satisfied, "
    "voided, tags, evidence, urgent) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
}


def _people(agents: int) -> list[tuple[str, list[tuple[Any, ...]]]]:
    now = "2026-10-01 00:00:00.000000"
    return [
        (
            "INSERT INTO community (id, code, name, created_at) VALUES (?,?,?,?)",
            [(1, "BENCH", "基准小区", now)],
        ),
        (
            "INSERT INTO agent (id, external_id, community_id, name, active, created_at) "
            "VALUES (?,?,?,?,?,?)",
            [(a, f"BENCH-{a:03d}", 1, f"客服{a:03d}", 1, now) for a in range(1, agents + 1)],
        ),
        (
            "INSERT INTO owner (id, community_id, name, opted_out, created_at, building, room) "
            "VALUES (?,?,?,?,?,?,?)",
            [(o, 1, f"业主{o}", 0, now, *((None, None) if PLAIN[0] else _unit(o)))
             for o in range(1, 1001)],
        ),
    ]


def build_sqlite(path: Path, agents: int, responses: int) -> float:
    """Create the schema and bulk-insert the data set; return seconds taken."""
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    import surveys.models  # noqa: F401  (registers the tables)

    started = time.perf_counter()
    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{tmp}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    con = sqlite3.connect(tmp)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    with con:
        for sql, rows in _people(agents):
            con.executemany(sql, rows)
        data = _rows(agents, responses)
        for name, sql in INSERTS.items():
            con.executemany(sql, data[name])
    con.execute("ANALYZE")
    con.close()
    tmp.rename(path)
    return time.perf_counter() - started


BOOLEANS = {"active", "opted_out", "voided", "satisfied", "urgent"}


def _typed(name: str, value: Any) -> Any:
    """Turn SQLite's 0/1 and timestamp text into bool/datetime (asyncpg wants real types)."""
    if value is None:
        return None
    if name in BOOLEANS:
        return bool(value)
    if name.endswith("_at") or name == "ack_deadline":
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S.%f")
    return value


async def build_url(url: str, agents: int, responses: int) -> float:
    """Fill an empty database at a URL (e.g. PostgreSQL) once; return seconds taken."""
    from sqlalchemy import text

    from surveys.core.db import create_engine, create_schema

    started = time.perf_counter()
    engine = create_engine(url)
    await create_schema(engine)
    async with engine.begin() as conn:
        found = await conn.execute(text("SELECT 1 FROM agent WHERE external_id = 'BENCH-001'"))
        if found.first() is None:
            batches = [
                *_people(agents),
                *((INSERTS[k], v) for k, v in _rows(agents, responses).items()),
            ]
            for sql, rows in batches:
                names = sql.split("(", 1)[1].split(")", 1)[0].replace(" ", "").split(",")
                stmt = text(
                    sql.split(" VALUES ")[0] + " VALUES (" + ", ".join(f":{n}" for n in names) + ")"
                )
                for i in range(0, len(rows), 20_000):
                    chunk = [
                        {n: _typed(n, v) for n, v in zip(names, r, strict=True)}
                        for r in rows[i : i + 20_000]
                    ]
                    await conn.execute(stmt, chunk)
    if engine.dialect.name == "postgresql":
        # Fresh statistics and visibility map: the planner's estimates and index-only scans.
        async with engine.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await auto.exec_driver_sql("VACUUM ANALYZE")
    await engine.dispose()
    return time.perf_counter() - started


async def _sql_path(url: str) -> dict[int, float | None]:
    from scoring.periods import parse_period
    from scoring.points.config import PointsConfig
    from surveys.assessment.reports import team_report
    from surveys.core.db import create_engine, session_factory

    engine = create_engine(url)
    try:
        report = await team_report(
            db=session_factory(engine),
            period=parse_period(PERIOD),
            config=PointsConfig(),
            as_of=datetime(2026, 12, 5),
        )
    finally:
        await engine.dispose()
    return {r.agent_id: r.total for r in report.rows}


async def _breakdowns_path(url: str) -> dict[int, float | None]:
    """The report's views by category and building for the month (issue 14)."""
    from scoring.categories import CategoryConfig
    from scoring.periods import parse_period
    from surveys.assessment.breakdowns import load_breakdowns
    from surveys.core.db import create_engine, session_factory

    period = parse_period(PERIOD)
    engine = create_engine(url)
    try:
        found = await load_breakdowns(db=session_factory(engine), start=period.start,
                                      end=period.end, category_order=CategoryConfig().codes())
    finally:
        await engine.dispose()
    # Shaped like the other paths' totals: one number per group, checked for sanity only.
    return {i: float(r.orders) for i, r in enumerate(found.by_category + found.by_building)}


async def _naive_path(url: str) -> dict[int, float | None]:
    """Load every row of the month into Python and count there (the baseline)."""
    from collections import defaultdict

    from sqlalchemy import select

    from scoring.periods import parse_period
    from scoring.points.config import PointsConfig
    from scoring.points.model import AgentStats, RatingStats, compute_team
    from scoring.questions import QUESTIONS
    from surveys import models
    from surveys.core.db import create_engine

    C: Any = models.Complaint
    R: Any = models.Response
    S: Any = models.Survey
    W: Any = models.WorkOrder

    period = parse_period(PERIOD)
    config = PointsConfig()
    as_of = datetime(2026, 12, 5)
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            sent = (
                await conn.execute(
                    select(
                        S.id,
                        S.agent_id,
                        S.status,
                        S.sent_at,
                        R.id.label("response_id"),
                        *(getattr(R, q) for q in QUESTIONS),
                        R.comment,
                        R.voided,
                        R.submitted_at,
                    ).outerjoin(R, R.survey_id == S.id)
                )
            ).all()
            orders = (
                await conn.execute(
                    select(W.__table__, S.agent_id.label("credited")).join(
                        S, S.work_order_id == W.id
                    )
                )
            ).all()
            complaints = (await conn.execute(select(C.__table__))).all()
    finally:
        await engine.dispose()
    acc: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in sent:
        m = row._mapping
        if m["agent_id"] is None or m["sent_at"] is None:
            continue
        if not period.start <= m["sent_at"] < period.end:
            continue
        a = acc[m["agent_id"]]
        a["sent"] += 1
        if m["response_id"] is None:
            continue
        if m["voided"]:
            a["voided"] += 1
            continue
        if m["submitted_at"] is None:
            continue
        a["responses"] += 1
        for q in QUESTIONS:
            if m[q] is not None:
                a[f"{q}_n"] += 1
                a[f"{q}_sum"] += m[q]
                a[f"{q}_csat"] += m[q] >= config.csat_min_rating
    for row in orders:
        m = row._mapping
        if (
            m["credited"] is not None
            and m["closed_at"]
            and (period.start <= m["closed_at"] < period.end)
        ):
            acc[m["credited"]]["closed"] += 1
    for row in complaints:
        m = row._mapping
        if m["agent_id"] is None or not period.start <= m["opened_at"] < period.end:
            continue
        a = acc[m["agent_id"]]
        if m["voided"]:
            a["c_voided"] += 1
            continue
        a["complaints"] += 1
        acked = m["acknowledged_at"]
        a["ack_due"] += acked is not None or m["ack_deadline"] <= as_of
        a["ack_on_time"] += acked is not None and acked <= m["ack_deadline"]
        a["resolved"] += m["resolved_at"] is not None
        a["answered"] += m["satisfied"] is not None
        a["satisfied"] += bool(m["satisfied"])
    stats = [
        AgentStats(
            agent_id=agent_id,
            surveys_sent=a["sent"],
            responses=a["responses"],
            voided_responses=a["voided"],
            ratings={q: RatingStats(a[f"{q}_n"], a[f"{q}_sum"], a[f"{q}_csat"]) for q in QUESTIONS},
            closed_orders=a["closed"],
            complaints=a["complaints"],
            voided_complaints=a["c_voided"],
            ack_due=a["ack_due"],
            ack_on_time=a["ack_on_time"],
            resolved=a["resolved"],
            follow_ups_answered=a["answered"],
            follow_ups_satisfied=a["satisfied"],
        )
        for agent_id, a in sorted(acc.items())
    ]
    _, rows = compute_team(stats, config)
    return {r.agent_id: r.total for r in rows}


class _AnonPeak(threading.Thread):
    """Sample RssAnon (private memory, without file pages SQLite maps) every 20 ms."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.peak = 0

    def run(self) -> None:
        status = Path("/proc/self/status")
        while not self.stop.wait(0.02):
            for line in status.read_text().splitlines():
                if line.startswith("RssAnon:"):
                    self.peak = max(self.peak, int(line.split()[1]) * 1024)


def run_one(path: str, url: str) -> None:
    """Run one path in this process and print its time, peak RSS and totals as JSON."""
    import psutil

    # Imported before the clock starts: import time and memory are not the report's.
    import scoring.periods  # noqa: F401
    import surveys.assessment.reports  # noqa: F401

    baseline = psutil.Process().memory_info().rss
    sampler = _AnonPeak()
    sampler.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    paths = {"sql": _sql_path, "naive": _naive_path, "breakdowns": _breakdowns_path}
    totals = asyncio.run(paths[path](url))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    sampler.stop.set()
    sampler.join()
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork+exec, so a child spawned
    # right after the parent generated the rows reported the parent's 1.2 GB.
    peak = next(
        int(line.split()[1]) * 1024
        for line in Path("/proc/self/status").read_text().splitlines()
        if line.startswith("VmHWM:")
    )
    print(
        json.dumps(
            {
                "path": path,
                "seconds": seconds,
                "cpu_seconds": cpu,
                "peak_rss_mb": peak / 2**20,
                "peak_anon_mb": sampler.peak / 2**20,
                "baseline_rss_mb": baseline / 2**20,
                "totals": {str(k): v for k, v in totals.items()},
            }
        )
    )


def _spawn(path: str, url: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--run", path, "--db-url", url],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _show(r: dict[str, Any]) -> None:
    print(
        f"{r['path'] + ':':6s} {r['seconds']:7.2f} s (CPU {r['cpu_seconds']:.2f} s)  "
        f"peak RSS {r['peak_rss_mb']:7.1f} MB, of it private {r['peak_anon_mb']:.1f} MB "
        f"(after imports {r['baseline_rss_mb']:.1f} MB)"
    )


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the data, run each path in its own process and compare them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--agents", type=int, default=100)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--db-url", help="run on this database (filled once if empty)")
    parser.add_argument("--run", choices=["sql", "naive", "breakdowns"], help=argparse.SUPPRESS)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--plain", action="store_true",
                        help="orders without categories, buildings and repeats (the baseline data)")
    args = parser.parse_args(argv)
    PLAIN[0] = args.plain
    if args.run:
        run_one(args.run, args.db_url)
        return 0
    if args.db_url:
        url = args.db_url
        build = asyncio.run(build_url(url, args.agents, args.responses))
        print(f"database ready in {build:.1f} s")
    else:
        path = _cache_path(args.agents, args.responses)
        if path.exists():
            print(f"using cached {path}")
        else:
            print(f"building {path} ...", flush=True)
            print(f"built in {build_sqlite(path, args.agents, args.responses):.1f} s")
        url = f"sqlite+aiosqlite:///{path}"
    sql = _spawn("sql", url)
    _show(sql)
    if not args.plain:
        groups = _spawn("breakdowns", url)
        _show(groups)
        print(f"  groups: {len(groups['totals'])} (categories and buildings), "
              f"orders counted {sum(groups['totals'].values()) / 2:,.0f}")
    if args.skip_naive:
        return 0
    naive = _spawn("naive", url)
    _show(naive)
    mismatched = [
        k
        for k in sql["totals"]
        if (sql["totals"][k] is None) != (naive["totals"].get(k) is None)
        or abs((sql["totals"][k] or 0) - (naive["totals"].get(k) or 0)) > 1e-9
    ]
    same = not mismatched and sql["totals"].keys() == naive["totals"].keys()
    print(
        f"agents {len(sql['totals'])}, same totals: {same}; naive/sql: time "
        f"×{naive['seconds'] / sql['seconds']:.1f}, peak RSS "
        f"×{naive['peak_rss_mb'] / sql['peak_rss_mb']:.1f}"
    )
    ok = same and sql["seconds"] < 10 and sql["peak_anon_mb"] < 500
    print("targets (sql < 10 s, < 500 MB private):", "met" if ok else "NOT met")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
