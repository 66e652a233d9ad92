"""Benchmark: finding a filer's complaints in hand on homes that moved away, in one query.

`surveys.complaints.owner_steps.left_in_hand` runs on every free text of an owner (homes5). It
asked "does the bot still speak with this account about it?" (`reach.owners_complaint`) once
per open complaint the account filed on a home that moved; it now asks it in the query that
finds them (`reach.still_reached`). The baseline, the loop as it was, is kept below.

One process, one database at the newest migration: `--owners` homes in 20 communities, one in
ten bound to its own account, `--complaints` complaints of other accounts, and one filer
(陈女士) holding a flat with her phone while the home she filed about moved to a relative.
For each count of her open complaints on it (`--counts`), the two run alternately in blocks.

    .venv/bin/python bench/left_in_hand.py [--owners 20000] [--complaints 8000]
        [--counts 1,4,16] [--calls 400] [--db-url postgresql+asyncpg://...]

With a PostgreSQL `--db-url` (a role allowed to CREATE DATABASE) the run gets a database of
its own next to that one, dropped afterwards. Figures: µs per call (p50, mean), statements.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys import migrations
from surveys.complaints.handling import CLOSED
from surveys.complaints.owner_steps import _in_hand, left_in_hand
from surveys.complaints.reach import owners_complaint
from surveys.core import clock
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory, create_engine, session_factory
from surveys.models import Community, Complaint, Owner

FILER = 9_000_000_001  # 陈女士's Telegram account
RELATIVE = 9_000_000_002  # the account her home moved to
PHONE = "13900009999"

Found = list[tuple[Owner, Complaint]]


async def baseline(s: AsyncSession, telegram_user_id: int, config: ComplaintConfig) -> Found:
    """`left_in_hand` as it was: one `owners_complaint` look-up per complaint found."""
    stmt = (select(Complaint, Owner).join(Owner, col(Owner.id) == col(Complaint.owner_id))
            .where(col(Complaint.telegram_user_id) == telegram_user_id,
                   col(Complaint.status).not_in(CLOSED),
                   or_(col(Owner.telegram_user_id).is_(None),
                       col(Owner.telegram_user_id) != telegram_user_id)))
    rows = (await s.exec(stmt.order_by(col(Owner.id), col(Complaint.opened_at).desc(),
                                       col(Complaint.id).desc()))).all()
    by_home: dict[int, tuple[Owner, list[Complaint]]] = {}
    for complaint, home in rows:
        if await owners_complaint(s, complaint, telegram_user_id):
            assert home.id is not None
            by_home.setdefault(home.id, (home, []))[1].append(complaint)
    found = [(home, await _in_hand(s, home, complaints, config, before=home.moved_at))
             for home, complaints in by_home.values()]
    return [(home, complaint) for home, complaint in found if complaint is not None]


async def now(s: AsyncSession, telegram_user_id: int, config: ComplaintConfig) -> Found:
    """`left_in_hand` as it is."""
    return await left_in_hand(s, telegram_user_id, config)


def _complaint(owner_id: int, telegram_user_id: int | None, opened: Any) -> dict[str, Any]:
    return {"source": "direct", "owner_id": owner_id, "telegram_user_id": telegram_user_id,
            "status": "open", "opened_at": opened, "ack_deadline": opened + timedelta(hours=4),
            "tags": [], "evidence": {}, "urgent": False, "escalations": 0, "voided": False}


async def seed(db: SessionFactory, owners: int, complaints: int) -> tuple[int, int]:
    """Fill the database; return (the moved home's id, her flat's id)."""
    start = clock.now()
    async with db() as s, s.begin():
        communities = [Community(code=f"c{i}", name=f"小区{i}") for i in range(20)]
        s.add_all(communities)
        await s.flush()
        ids = [c.id for c in communities if c.id is not None]
        conn = await s.connection()
        await conn.execute(insert(Owner), [
            {"community_id": ids[i % 20], "name": f"业主{i}", "phone": f"138{i:08d}",
             "building": str(i % 30), "room": str(i), "created_at": start,
             "telegram_user_id": 10_000 + i if i % 10 == 0 else None,
             "chat_id": 10_000 + i if i % 10 == 0 else None, "opted_out": False}
            for i in range(owners)])
        await conn.execute(insert(Complaint), [
            _complaint(1 + i * 7 % owners, 10_000 + i * 7 % owners, start
                       - timedelta(hours=i % 500)) for i in range(complaints)])
        moved = Owner(community_id=ids[0], name="陈女士", phone=PHONE, building="1",
                      room="101", telegram_user_id=RELATIVE, chat_id=RELATIVE,
                      moved_at=start)
        flat = Owner(community_id=ids[1], name="陈女士", phone=PHONE, building="2",
                     room="202", telegram_user_id=FILER, chat_id=FILER)
        s.add_all([moved, flat])
        await s.flush()
        assert moved.id is not None and flat.id is not None
        return moved.id, flat.id


async def file_more(db: SessionFactory, home_id: int, count: int) -> None:
    """Give her `count` open complaints on the moved home in all (filed before the move)."""
    async with db() as s, s.begin():
        have = len((await s.exec(select(Complaint.id).where(
            col(Complaint.owner_id) == home_id))).all())
        for n in range(have, count):
            s.add(Complaint(**_complaint(home_id, FILER,
                                         clock.now() - timedelta(minutes=10 + n))))


@asynccontextmanager
async def database(base_url: str | None, tmp: Path) -> AsyncIterator[AsyncEngine]:
    """Yield an engine on a new database at the newest migration."""
    admin, name = None, f"ov_bench_hand_{uuid.uuid4().hex[:8]}"
    url = f"sqlite+aiosqlite:///{tmp / 'hand.db'}"
    if base_url and not base_url.startswith("sqlite"):
        admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    try:
        await migrations.upgrade(engine)
        yield engine
    finally:
        await engine.dispose()
        if admin is not None:
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            await admin.dispose()


Step = Callable[[AsyncSession, int, ComplaintConfig], Awaitable[Found]]


async def timed(step: Step, db: SessionFactory, calls: int
                ) -> tuple[list[float], float, Found]:
    """Call the step `calls` times, each in its own session; return the times and the finding.

    The times are µs per call (wall) and the mean CPU µs of this process per call (neighbours
    on the machine do not change it); the finding is what the last call found.
    """
    took, found, config = [], [], ComplaintConfig()
    cpu = time.process_time()
    for _ in range(calls):
        started = time.perf_counter()
        async with db() as s:
            found = await step(s, FILER, config)
        took.append((time.perf_counter() - started) * 1e6)
    return took, (time.process_time() - cpu) * 1e6 / calls, found


async def statements(engine: AsyncEngine, db: SessionFactory, step: Step) -> int:
    """Count the SQL statements one call makes."""
    seen: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", note)
    try:
        await timed(step, db, 1)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", note)
    return len(seen)


def p50(values: list[float]) -> float:
    """Return the median."""
    return statistics.median(values)


async def main(args: argparse.Namespace) -> None:
    """Seed once; per count of her complaints, alternate the two and print the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        async with database(args.db_url, Path(tmp)) as engine:
            kind = "PostgreSQL" if args.db_url and not args.db_url.startswith("sqlite") \
                else "SQLite"
            db = session_factory(engine)
            moved, _flat = await seed(db, args.owners, args.complaints)
            print(f"{kind}: {args.owners} homes, {args.complaints} other complaints, "
                  f"{args.calls} calls each way and count, in {args.rounds} blocks")
            print("her complaints | baseline p50 µs (mean), CPU µs | now p50 µs (mean), CPU µs"
                  " | p50 ratio | CPU ratio | statements baseline → now")
            for count in (int(c) for c in args.counts.split(",")):
                await file_more(db, moved, count)
                results: dict[str, list[float]] = {"baseline": [], "now": []}
                cpu: dict[str, list[float]] = {"baseline": [], "now": []}
                answers = {}
                block = max(1, args.calls // args.rounds)
                for round_ in range(args.rounds):
                    order = ("baseline", "now") if round_ % 2 == 0 else ("now", "baseline")
                    for name in order:
                        took, used, answers[name] = await timed(
                            baseline if name == "baseline" else now, db, block)
                        results[name] += took
                        cpu[name].append(used)
                same = [(h.id, c.id) for h, c in answers["baseline"]] == [
                    (h.id, c.id) for h, c in answers["now"]]
                assert same and answers["now"], "the two must find the same complaint"
                old, new = results["baseline"], results["now"]
                old_cpu, new_cpu = statistics.fmean(cpu["baseline"]), statistics.fmean(cpu["now"])
                print(f"{count:14} | {p50(old):6.0f} ({statistics.fmean(old):6.0f}), "
                      f"{old_cpu:6.0f} | {p50(new):6.0f} ({statistics.fmean(new):6.0f}), "
                      f"{new_cpu:6.0f} | {p50(new) / p50(old):.2f}x | {new_cpu / old_cpu:.2f}x | "
                      f"{await statements(engine, db, baseline)} → "
                      f"{await statements(engine, db, now)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--owners", type=int, default=20000)
    parser.add_argument("--complaints", type=int, default=8000)
    parser.add_argument("--counts", default="1,4,16")
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--db-url", help="PostgreSQL URL (default: a SQLite file in a temp dir)")
    asyncio.run(main(parser.parse_args()))
