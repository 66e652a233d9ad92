"""Benchmark: the intake — CSV imports (orders, owners) and the HTTP API — against baselines.

Runs, in one process, each on a fresh database at the newest migration:

- orders CSV: `import_orders_csv` (streamed, batches of 500 in one transaction each) against
  the baseline of one `close_work_order` transaction per row (what the import did before),
  on the same kind of file;
- owners CSV: `import_owners_csv` with invite links against one `add_owner` + `create_invite`
  per row;
- HTTP intake: POST /api/v1/work-orders/close over loopback with `--concurrency` clients
  (with an Idempotency-Key, as a property system should), requests/s and latency p50/p95.

The file has `--rows` orders for 40 % as many owners (repeat customers), 1 in 10 of them
bound to Telegram (their surveys go to the outbox). The baselines run on at most
`--baseline-rows` rows (they are slow); rates are per second of wall time.

    .venv/bin/python bench/intake.py [--rows 20000] [--baseline-rows 2000]
                                     [--requests 2000] [--concurrency 16] [--db-url URL]
                                     [--memory] [--json]

With a PostgreSQL `--db-url` (a role allowed to CREATE DATABASE), each run gets a database
of its own next to that one, dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from aiohttp import web
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.api import create_api_app
from bot.config import ApiConfig, Settings
from surveys.core.config import SurveyConfig
from surveys.core.courtesy import CourtesyConfig
from surveys.core.db import SessionFactory, create_engine, create_schema, session_factory
from surveys.intake.close import close_work_order
from surveys.intake.csv_import import import_orders_csv, row_to_order
from surveys.intake.order_in import WorkOrderIn
from surveys.intake.owners_import import InviteOptions, import_owners_csv
from surveys.people.binding import bind_owner_by_contact, create_invite
from surveys.people.directory import add_agent, add_community, add_owner

TOKEN = "bench-intake-token"
ORDER_COLUMNS = ("external_id,community_code,owner_name,owner_phone,building,room,"
                 "agent_external_id,agent_name,kind,urgency,title")


def write_orders(path: Path, rows: int, prefix: str = "WO") -> None:
    """Write an orders CSV: repeat customers, 20 agents, Chinese titles."""
    owners = max(1, int(rows * 0.4))
    with path.open("w", encoding="utf-8") as fh:
        fh.write(ORDER_COLUMNS + "\n")
        for i in range(rows):
            o = i % owners
            fh.write(f"{prefix}-{i:07d},sunny,业主{o},139{o:08d},{o % 30 + 1},{o % 900 + 101},"
                     f"A{i % 20:03d},客服{i % 20},repair,normal,厨房水管漏水维修 第{i}单\n")


def write_owners(path: Path, rows: int) -> None:
    """Write an owners CSV for bulk onboarding."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write("community_code,name,phone,building,room\n")
        for i in range(rows):
            fh.write(f"sunny,新业主{i},137{i:08d},{i % 30 + 1},{i % 900 + 101}\n")


@asynccontextmanager
async def fresh_database(base_url: str | None, tmp: Path) -> AsyncIterator[SessionFactory]:
    """Yield a session factory on a new, migrated database (SQLite file or PostgreSQL)."""
    if not base_url or base_url.startswith("sqlite"):
        url, drop = f"sqlite+aiosqlite:///{tmp / f'bench-{uuid.uuid4().hex[:8]}.db'}", None
    else:
        name = f"ov_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(base_url).set(database=name).render_as_string(hide_password=False)
        drop = (admin, name)
    engine = create_engine(url)
    try:
        await create_schema(engine)
        db = session_factory(engine)
        await seed(db)
        yield db
    finally:
        await engine.dispose()
        if drop is not None:
            async with drop[0].connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{drop[1]}"'))
            await drop[0].dispose()


async def seed(db: SessionFactory) -> None:
    """Add the community, its 20 agents, and the bound tenth of the file's owners."""
    await add_community(db=db, code="sunny", name="阳光花园")
    for a in range(20):
        await add_agent(db=db, external_id=f"A{a:03d}", name=f"客服{a}", community_code="sunny")


async def bind_some(db: SessionFactory, rows: int) -> None:
    """Bind one owner in ten of an orders file to Telegram (their surveys are queued)."""
    for o in range(0, max(1, int(rows * 0.4)), 10):
        await add_owner(db=db, community_code="sunny", name=f"业主{o}", phone=f"139{o:08d}")
        await bind_owner_by_contact(db=db, telegram_user_id=8_000_000 + o, chat_id=8_000_000 + o,
                                    phone=f"139{o:08d}", contact_user_id=8_000_000 + o)


CPU: dict[str, float] = {}  # CPU seconds of this process per measurement (see `timed`)


async def timed(action: Callable[[], Awaitable[Any]], label: str = "") -> float:
    """Return the wall seconds an action took; note this process's CPU seconds under label.

    On a shared machine wall time depends on the neighbours; rows per CPU second do not
    (they leave out PostgreSQL's own work, which runs in its server processes).
    """
    started, cpu = time.perf_counter(), time.process_time()
    await action()
    if label:
        CPU[label] = time.process_time() - cpu
    return time.perf_counter() - started


async def orders_batched(base_url: str | None, tmp: Path, rows: int) -> dict[str, Any]:
    """Import the orders CSV in batches and time it."""
    path = tmp / "orders.csv"
    write_orders(path, rows)
    async with fresh_database(base_url, tmp) as db:
        await bind_some(db, rows)
        reports: list[Any] = []
        seconds = await timed(lambda: _collect(reports, import_orders_csv(
            db=db, path=path, survey_config=SurveyConfig())), "orders")
        again = await timed(lambda: import_orders_csv(db=db, path=path,
                                                      survey_config=SurveyConfig()))
    report = reports[0]
    assert report.created == rows and report.rejected == 0, report
    return {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds,
            "rows_per_cpu_s": rows / CPU["orders"], "rerun_rows_per_s": rows / again}


async def _collect(into: list[Any], work: Awaitable[Any]) -> None:
    into.append(await work)


async def memory_peaks(base_url: str | None, tmp: Path, sizes: tuple[int, ...]
                       ) -> dict[str, float]:
    """Return the import's peak traced memory (MB) for files of these sizes: flat or not."""
    peaks: dict[str, float] = {}
    for rows in sizes:
        path = tmp / f"orders-{rows}.csv"
        write_orders(path, rows, prefix=f"WM{rows}")
        async with fresh_database(base_url, tmp) as db:
            tracemalloc.start()
            await import_orders_csv(db=db, path=path, survey_config=SurveyConfig())
            peaks[str(rows)] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
    return peaks


async def orders_one_by_one(base_url: str | None, tmp: Path, rows: int) -> dict[str, Any]:
    """Close the same orders one service call each (the baseline) and time it."""
    path = tmp / "orders-baseline.csv"
    write_orders(path, rows, prefix="WB")
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    orders: list[WorkOrderIn] = [row_to_order(dict(zip(header, line.split(","), strict=True)))
                                 for line in lines[1:]]
    async with fresh_database(base_url, tmp) as db:
        await bind_some(db, rows)

        async def one_by_one() -> None:
            for order in orders:
                await close_work_order(db=db, order=order, survey_config=SurveyConfig())

        seconds = await timed(one_by_one, "orders-baseline")
    return {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds,
            "rows_per_cpu_s": rows / CPU["orders-baseline"]}


async def owners_batched(base_url: str | None, tmp: Path, rows: int) -> dict[str, Any]:
    """Import the owners CSV with invites in batches and time it."""
    path = tmp / "owners.csv"
    write_owners(path, rows)
    invites = InviteOptions("bench-secret", __import__("datetime").timedelta(hours=72))
    async with fresh_database(base_url, tmp) as db:
        seconds = await timed(lambda: import_owners_csv(db=db, path=path, invites=invites),
                              "owners")
    return {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds,
            "rows_per_cpu_s": rows / CPU["owners"]}


async def owners_one_by_one(base_url: str | None, tmp: Path, rows: int) -> dict[str, Any]:
    """Add the same owners one service call each (the baseline) and time it."""
    async with fresh_database(base_url, tmp) as db:
        async def one_by_one() -> None:
            for i in range(rows):
                owner = await add_owner(db=db, community_code="sunny", name=f"新业主{i}",
                                        phone=f"137{i:08d}")
                assert owner.id is not None
                await create_invite(db=db, role="owner", subject_id=owner.id, ttl=72,
                                    secret="bench-secret")

        seconds = await timed(one_by_one, "owners-baseline")
    return {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds,
            "rows_per_cpu_s": rows / CPU["owners-baseline"]}


async def http_intake(base_url: str | None, tmp: Path, requests: int,
                      concurrency: int) -> dict[str, Any]:
    """Post close requests to the intake API, `concurrency` at a time, and time them."""
    async with fresh_database(base_url, tmp) as db:
        await bind_some(db, requests)
        settings = Settings(api=ApiConfig(token=SecretStr(TOKEN)), courtesy=CourtesyConfig.off())
        runner = web.AppRunner(create_api_app(db=db, settings=settings), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        latencies: list[float] = []
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(requests):
            queue.put_nowait(i)
        owners = max(1, int(requests * 0.4))

        async def client(http: aiohttp.ClientSession) -> None:
            while not queue.empty():
                i = queue.get_nowait()
                o = i % owners
                body = {"external_id": f"WH-{i:07d}", "community_code": "sunny",
                        "owner": {"name": f"业主{o}", "phone": f"139{o:08d}"},
                        "agent_external_id": f"A{i % 20:03d}", "title": f"漏水 第{i}单"}
                started = time.perf_counter()
                async with http.post(f"http://127.0.0.1:{port}/api/v1/work-orders/close",
                                     json=body, headers={"Authorization": f"Bearer {TOKEN}",
                                                         "Idempotency-Key": f"k-{i}"}) as resp:
                    assert resp.status == 201, await resp.text()
                latencies.append(time.perf_counter() - started)

        try:
            async with aiohttp.ClientSession(
                    connector=aiohttp.TCPConnector(limit=concurrency)) as http:
                seconds = await timed(lambda: asyncio.gather(
                    *(client(http) for _ in range(concurrency))))
        finally:
            await runner.cleanup()
    latencies.sort()
    return {"requests": requests, "concurrency": concurrency, "seconds": seconds,
            "requests_per_s": requests / seconds,
            "p50_ms": statistics.median(latencies) * 1000,
            "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000}


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run every measurement and return the figures."""
    with tempfile.TemporaryDirectory(prefix="ov-bench-intake-") as tmp_dir:
        tmp = Path(tmp_dir)
        base = args.db_url
        baseline_rows = min(args.rows, args.baseline_rows)
        orders = await orders_batched(base, tmp, args.rows)
        orders_base = await orders_one_by_one(base, tmp, baseline_rows)
        owners = await owners_batched(base, tmp, args.rows)
        owners_base = await owners_one_by_one(base, tmp, baseline_rows)
        http = await http_intake(base, tmp, args.requests, args.concurrency)
        memory = await memory_peaks(base, tmp, (2_000, 20_000)) if args.memory else {}
    database = "postgresql" if base and base.startswith("postgresql") else "sqlite"
    return {
        "database": database,
        "orders_csv": orders, "orders_one_transaction_per_row": orders_base,
        "orders_speedup": orders["rows_per_s"] / orders_base["rows_per_s"],
        "owners_csv": owners, "owners_one_transaction_per_row": owners_base,
        "owners_speedup": owners["rows_per_s"] / owners_base["rows_per_s"],
        "http_intake": http, "import_peak_mb": memory,
    }


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the benchmark, print the figures."""
    parser = argparse.ArgumentParser(prog="bench/intake.py")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--baseline-rows", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--db-url", help="PostgreSQL URL (default: SQLite files in a temp dir)")
    parser.add_argument("--memory", action="store_true",
                        help="also trace the import's peak memory on 2,000 and 20,000 rows")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    figures = asyncio.run(run(args))
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    o, ob = figures["orders_csv"], figures["orders_one_transaction_per_row"]
    w, wb = figures["owners_csv"], figures["owners_one_transaction_per_row"]
    h = figures["http_intake"]
    print(f"database: {figures['database']}")
    print(f"orders CSV     {o['rows']:>7} rows  {o['rows_per_s']:8.0f} rows/s "
          f"({o['rows_per_cpu_s']:.0f}/CPU s)  rerun, all already there: "
          f"{o['rerun_rows_per_s']:.0f} rows/s")
    print(f"  baseline     {ob['rows']:>7} rows  {ob['rows_per_s']:8.0f} rows/s "
          f"({ob['rows_per_cpu_s']:.0f}/CPU s)  one transaction per row -> "
          f"x{figures['orders_speedup']:.1f}")
    print(f"owners CSV     {w['rows']:>7} rows  {w['rows_per_s']:8.0f} rows/s "
          f"({w['rows_per_cpu_s']:.0f}/CPU s)  with invite links")
    print(f"  baseline     {wb['rows']:>7} rows  {wb['rows_per_s']:8.0f} rows/s "
          f"({wb['rows_per_cpu_s']:.0f}/CPU s)  add_owner + create_invite per row -> "
          f"x{figures['owners_speedup']:.1f}")
    print(f"HTTP intake    {h['requests']:>7} req   {h['requests_per_s']:8.0f} req/s    "
          f"p50 {h['p50_ms']:.1f} ms  p95 {h['p95_ms']:.1f} ms  ({h['concurrency']} clients)")
    for rows, peak in figures["import_peak_mb"].items():
        print(f"orders CSV peak memory (tracemalloc) for {rows:>6} rows: {peak:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
