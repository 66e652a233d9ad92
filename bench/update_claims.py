"""Benchmark: what claiming an update costs against the check-then-mark it replaced.

Each update of the run goes through the database bookkeeping alone (no handling), in one
process, on one database at the newest migration, alternating the two in blocks:

- baseline (before issue 13): look the update id up (`session.get`), then, after handling,
  insert the "handled" row — one read and one write transaction;
- claims (now): `claim_update` (the insert that claims), `kept` around the handling (the
  lease renewer, a sleeping task), then `finish_update` — two write transactions.

    .venv/bin/python bench/update_claims.py [--updates 3000] [--rounds 6] [--db-url URL]

With a PostgreSQL `--db-url` (a role allowed to CREATE DATABASE), the run gets a database of
its own next to that one, dropped afterwards. Figures: microseconds per update, p50 and p95.
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
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from surveys import migrations
from surveys.core.db import SessionFactory, create_engine, session_factory
from surveys.core.handled_updates import claim_update, finish_update, kept
from surveys.models import ProcessedUpdate

BOT = 123456789


async def baseline(db: SessionFactory, update_id: int) -> None:
    """Check and mark as before: a read, then an insert after handling."""
    async with db() as session:
        found = await session.get(ProcessedUpdate, (BOT, update_id))
    if found is not None:
        return
    try:
        async with db() as session, session.begin():
            session.add(ProcessedUpdate(bot_id=BOT, update_id=update_id))
    except IntegrityError:
        pass


async def claims(db: SessionFactory, update_id: int) -> None:
    """Claim, renew around the handling, and mark."""
    claim = await claim_update(db=db, bot_id=BOT, update_id=update_id)
    if claim is None:
        return
    async with kept(db=db, claim=claim):
        await asyncio.sleep(0)  # the handling
    await finish_update(db=db, claim=claim)


@asynccontextmanager
async def database(base_url: str | None, tmp: Path) -> AsyncIterator[SessionFactory]:
    """Yield a session factory on a new database at the newest migration."""
    admin, name = None, f"ov_bench_claims_{uuid.uuid4().hex[:8]}"
    url = f"sqlite+aiosqlite:///{tmp / 'claims.db'}"
    if base_url and not base_url.startswith("sqlite"):
        admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(url)
    try:
        await migrations.upgrade(engine)
        yield session_factory(engine)
    finally:
        await engine.dispose()
        if admin is not None:
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            await admin.dispose()


async def timed(step: Callable[[SessionFactory, int], Awaitable[None]], db: SessionFactory,
                ids: range) -> list[float]:
    """Run the step once per update id; return each one's microseconds."""
    took = []
    for update_id in ids:
        start = time.perf_counter()
        await step(db, update_id)
        took.append((time.perf_counter() - start) * 1e6)
    return took


def pct(values: list[float], q: float) -> float:
    """Return the q-quantile of the values."""
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


async def main(args: argparse.Namespace) -> None:
    """Alternate the two in blocks on one database and print the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        async with database(args.db_url, Path(tmp)) as db:
            kind = "PostgreSQL" if args.db_url and not args.db_url.startswith("sqlite") \
                else "SQLite"
            results: dict[str, list[float]] = {"baseline": [], "claims": []}
            block, next_id = args.updates // args.rounds, 1
            await timed(claims, db, range(10**9, 10**9 + 50))  # warm up both paths' code
            await timed(baseline, db, range(2 * 10**9, 2 * 10**9 + 50))
            for round_ in range(args.rounds):
                order = ("baseline", "claims") if round_ % 2 == 0 else ("claims", "baseline")
                for name in order:
                    step = baseline if name == "baseline" else claims
                    results[name] += await timed(step, db, range(next_id, next_id + block))
                    next_id += block
    base, new = results["baseline"], results["claims"]
    print(f"{kind}, {len(base)} updates each, µs per update:")
    for name, values in results.items():
        print(f"  {name:8}  mean {statistics.fmean(values):8.0f}  p50 {pct(values, 0.5):8.0f}"
              f"  p95 {pct(values, 0.95):8.0f}")
    print(f"  claims / baseline: mean {statistics.fmean(new) / statistics.fmean(base):.2f}x, "
          f"p50 {pct(new, 0.5) / pct(base, 0.5):.2f}x, "
          f"added {statistics.fmean(new) - statistics.fmean(base):+.0f} µs an update")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--db-url", help="PostgreSQL URL (default: a SQLite file in a temp dir)")
    asyncio.run(main(parser.parse_args()))
