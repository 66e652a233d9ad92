"""Benchmark: a month's manager /report (and /export) at scale, this checkout against a baseline.

    nice -n 10 .venv/bin/python bench/report_month.py                 # 1,000,000 responses
    nice -n 10 .venv/bin/python bench/report_month.py --responses 50000 --agents 20  # quick
    nice -n 10 .venv/bin/python bench/report_month.py --scenarios export \\
        --responses 10000 --agents 10                                  # the workbook
    nice -n 10 .venv/bin/python bench/report_month.py --responses 200000 \\
        --pg postgresql+asyncpg://ownervoice:ownervoice@127.0.0.1:5432  # on PostgreSQL

The data are bench/points.py's (100 agents, 1,250,000 closed orders, 1,000,000 responses in
November 2026, with opening and first-action times; cached under $TMPDIR/ownervoice-bench/).
The baseline is another commit of this repository (`--base`, default the commit before this
work), unpacked once with `git archive` next to the data. The baseline runs on its own copy of
the file with its own indexes (migration 0021 undone: `BASE_SCHEMA`; `--same-schema` for a
baseline that has it, `--drop-index` for more), and for the closed month each code on a copy
that it closed (its snapshot is what that code stores). With `--pg` the same in databases of
that server (`ov_month_*`, filled once by bench/points.py, copied with CREATE DATABASE …
TEMPLATE).

Scenarios, each a fresh process, baseline and current alternated `--rounds` times (the machine
is shared: read the ratios, and the load printed beside them):

- **report**: the text of the manager's `/report 2026-11` (`bot.staff.views.build_text`: points,
  回访率, response and resolution times, views by category and building) on 2026-12-05, the
  month awaiting its close;
- **closed**: the same once the month is closed;
- **export**: the `/export 2026-11` workbook (`bot.staff.files.export`) of the closed month;
- **export-open**: the same before the close (every agent's sheet computed live);
- **sections**: the current code alone, the CPU of each section of the open month's report
  (points with 回访率, response and resolution times, views by category and building), each
  timed in the process (SQLite's work runs in aiosqlite's thread: process CPU counts it).

The two codes must give the same text (report, closed) or the same cell values in every sheet
(export); the script prints the ratios and exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASE = "2cb88d5"  # main before the one pass over the month's orders (helper report-perf)
NOW = datetime(2026, 12, 5, 12, 0)  # the month's appeal window ended on 12-03
PERIOD = "2026-11"
# The baseline's schema: migration 0021 undone on its copy of the data (`--same-schema` when the
# baseline has 0021). Before 0016 (e.g. ed7c41a, perf6's), also --drop-index OLD_TIMES_INDEX.
BASE_SCHEMA = (
    "DROP INDEX IF EXISTS ix_work_order_month_pass",
    "DROP INDEX IF EXISTS ix_response_counted",
    "DROP INDEX IF EXISTS ix_survey_sent_agent",
    "CREATE INDEX IF NOT EXISTS ix_work_order_timeliness ON work_order "
    "(id, closed_at, opened_at, first_action_at, category, urgency, community_id)",
    "CREATE INDEX IF NOT EXISTS ix_response_scoring ON response "
    "(voided, survey_id, submitted_at, overall, attitude, clarity, timeliness)",
)
OLD_TIMES_INDEX = "ix_work_order_timeliness"
SCENARIOS = ("report", "closed", "export", "export-open", "sections")


def _folder() -> Path:
    folder = Path(tempfile.gettempdir()) / "ownervoice-bench"
    folder.mkdir(exist_ok=True)
    return folder


def checkout(rev: str) -> Path:
    """Unpack a commit of this repository once (git archive) and return its folder."""
    sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", rev], check=True,
                         capture_output=True, text=True).stdout.strip()
    target = _folder() / f"code-{sha}"
    if not target.exists():
        tmp = target.with_suffix(".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", sha], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
        tmp.rename(target)
    return target


def data_file(agents: int, responses: int) -> Path:
    """Return the cached data set of bench/points.py (built on first use)."""
    sys.path.insert(0, str(ROOT))
    from bench.points import _cache_path, build_sqlite

    path = _cache_path(agents, responses)
    if not path.exists():
        print(f"building {path} ...", flush=True)
        print(f"built in {build_sqlite(path, agents, responses):.0f} s", flush=True)
    return path


def variant(source: Path, name: str, schema: tuple[str, ...]) -> Path:
    """Copy the data file for one code (its indexes: statements run on the copy)."""
    target = source.with_name(f"{source.stem}-{name}.db")
    if not target.exists():
        tmp = target.with_suffix(".tmp")
        shutil.copyfile(source, tmp)
        conn = sqlite3.connect(tmp)
        with conn:
            for statement in schema:
                conn.execute(statement)
            conn.execute("ANALYZE")
        conn.close()  # folds the write-ahead log in before the rename (it is named after tmp)
        tmp.rename(target)
    return target


class Postgres:
    """The bench's databases on a PostgreSQL server (the role needs CREATEDB)."""

    def __init__(self, server: str, agents: int, responses: int) -> None:
        self.server, self.stem = server.rstrip("/"), f"ov_month_{agents}a_{responses}r"
        self.agents, self.responses = agents, responses

    def url(self, name: str) -> str:
        return f"{self.server}/{name}"

    def _sql(self, *statements: str) -> list[Any]:
        import asyncio

        import asyncpg

        async def run() -> list[Any]:
            conn = await asyncpg.connect(self.server.replace("+asyncpg", "") + "/postgres")
            try:
                return [await conn.fetch(s) for s in statements]
            finally:
                await conn.close()
        return asyncio.run(run())

    def exists(self, name: str) -> bool:
        found = self._sql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'")[0]
        return bool(found)

    def source(self) -> str:
        """The filled data set (bench/points.py fills it once)."""
        import asyncio

        sys.path.insert(0, str(ROOT))
        from bench.points import build_url

        if not self.exists(self.stem):
            self._sql(f'CREATE DATABASE "{self.stem}"')
            print(f"filling {self.stem} ...", flush=True)
            took = asyncio.run(build_url(self.url(self.stem), self.agents, self.responses))
            print(f"  filled in {took:.0f} s", flush=True)
        return self.stem

    def copy(self, source: str, name: str, schema: tuple[str, ...] = ()) -> str:
        """A copy of a database (once), with the given statements run on it."""
        target = f"{source}_{name}"
        if not self.exists(target):
            self._sql(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
            if schema:
                import asyncio

                import asyncpg

                async def run() -> None:
                    conn = await asyncpg.connect(self.url(target).replace("+asyncpg", ""))
                    for statement in schema:
                        await conn.execute(statement)
                    await conn.execute("ANALYZE")
                    await conn.close()
                asyncio.run(run())
        return target


def _spawn(scenario: str, code: Path, url: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--run", scenario, "--code", str(code), "--url", url],
        capture_output=True, text=True, cwd=code)
    if done.returncode:
        raise SystemExit(f"{scenario} on {code.name} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _label(code: Path) -> str:
    sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], check=True,
                         capture_output=True, text=True).stdout.strip()
    return code.name[5:] if code.name.startswith("code-") else sha


def closed_copy(code: Path, source: Path, name: str) -> str:
    """Copy the file and close its month with the given code (once per commit; cached)."""
    target = source.with_name(f"{source.stem}-closed-{_label(code)}.db")
    if not target.exists():
        tmp = source.with_name(f"{source.stem}-closing.db")
        shutil.copyfile(source, tmp)
        print(f"closing {PERIOD} with {name} ...", flush=True)
        took = _spawn("close", code, _sqlite(tmp))
        print(f"  closed in {took['seconds']:.0f} s", flush=True)
        tmp.rename(target)
    return _sqlite(target)


def closed_pg(pg: Postgres, code: Path, source: str, name: str) -> str:
    """Copy the database and close its month with the given code (once per commit)."""
    target = f"{source}_closed_{_label(code)}"
    if not pg.exists(target):
        closing = pg.copy(source, "closing")
        print(f"closing {PERIOD} with {name} ...", flush=True)
        took = _spawn("close", code, pg.url(closing))
        print(f"  closed in {took['seconds']:.0f} s", flush=True)
        pg._sql(f'ALTER DATABASE "{closing}" RENAME TO "{target}"')
    return pg.url(target)


def _sqlite(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


# --- the measured paths (run in a child process, with the code under test first on the path)

def _staff(url: str) -> tuple[Any, Any, Any]:
    from bot.conversation.actions import Inbound
    from bot.conversation.context import Context
    from bot.i18n import translator
    from bot.staff.deps import StaffDeps
    from surveys.core.db import create_engine, session_factory
    from surveys.people.identity import Identity

    engine = create_engine(url)
    staff = StaffDeps(db=session_factory(engine), key=b"bench")
    ctx = Context(who=Inbound(user_id=1, chat_id=1, language_code="zh"),
                  tr=translator("zh_CN"), me=Identity(telegram_user_id=1, manager_id=1))
    return engine, staff, ctx


async def _report(url: str) -> str:
    from bot.staff.views import build_text

    engine, staff, ctx = _staff(url)
    try:
        return await build_text(staff, ctx, "rep", PERIOD)
    finally:
        await engine.dispose()


def _cells(content: bytes) -> str:
    """Every sheet's name and cell values (the file's own bytes carry its creation time)."""
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    digest = hashlib.sha256()
    for sheet in book.worksheets:
        digest.update(sheet.title.encode())
        for row in sheet.iter_rows(values_only=True):
            digest.update(repr(row).encode())
    return digest.hexdigest()


async def _export(url: str) -> bytes:
    from bot.staff.files import export

    engine, staff, ctx = _staff(url)
    try:
        return bytes(next(a for a in await export(staff, ctx, PERIOD)).data)  # type: ignore[union-attr]
    finally:
        await engine.dispose()


async def _close(url: str) -> str:
    from scoring.periods import parse_period
    from scoring.points.config import PointsConfig
    from surveys.assessment.cycle import Closer, close_period
    from surveys.core.db import create_engine, session_factory

    engine = create_engine(url)
    try:
        done = await close_period(db=session_factory(engine),
                                  period=parse_period(PERIOD, timezone="Asia/Shanghai"),
                                  current=PointsConfig(), timezone="Asia/Shanghai",
                                  closer=Closer(role="admin", id=None, name="bench"), now=NOW)
    finally:
        await engine.dispose()
    return f"{done.label} {done.agents}"


async def _sections(url: str) -> dict[str, float]:
    from scoring.periods import parse_period
    from surveys.assessment.breakdowns import load_breakdowns
    from surveys.assessment.order_pass import OrderPass, month_orders
    from surveys.assessment.reports import team_report

    engine, staff, _ = _staff(url)
    period = parse_period(PERIOD, timezone=staff.timezone, now=NOW)
    done: list[OrderPass] = []

    async def orders() -> None:
        done.append(await month_orders(db=staff.db, period=period))

    sections = {
        "one pass over the orders (times, 回访率, groups)": orders,
        "points (survey sums, complaints)": lambda: team_report(
            db=staff.db, period=period, config=staff.points, as_of=NOW, closed=done[0].closed),
        "views (ratings, repeats, complaints by group)": lambda: load_breakdowns(
            db=staff.db, start=period.start, end=period.end, orders=done[0].groups),
    }
    cpu: dict[str, float] = {}
    try:
        for name, section in sections.items():
            start = time.process_time()
            await section()
            cpu[name] = time.process_time() - start
    finally:
        await engine.dispose()
    return cpu


def run_one(scenario: str, code: str, url: str) -> None:
    """Run one scenario with the code in `code` and print its time and result digest (JSON)."""
    import asyncio

    sys.path.insert(0, code)
    import importlib

    for module in ("bot.staff.files", "bot.staff.views", "surveys.assessment.cycle"):
        importlib.import_module(module)  # imports are not the report's time
    import surveys
    from surveys.core import clock

    assert Path(surveys.__file__).is_relative_to(code), surveys.__file__
    clock.set_source(lambda: NOW)
    if scenario == "sections":
        print(json.dumps({"sections": asyncio.run(_sections(url))}, ensure_ascii=False))
        return
    wall, cpu = time.perf_counter(), time.process_time()
    if scenario.startswith("export"):
        content = asyncio.run(_export(url))
        seconds, cpu_seconds = time.perf_counter() - wall, time.process_time() - cpu
        digest, size = _cells(content), len(content)
    else:
        text = asyncio.run(_report(url) if scenario in ("report", "closed") else _close(url))
        seconds, cpu_seconds = time.perf_counter() - wall, time.process_time() - cpu
        digest, size = hashlib.sha256(text.encode()).hexdigest(), len(text)
    print(json.dumps({"scenario": scenario, "seconds": seconds, "cpu_seconds": cpu_seconds,
                      "digest": digest, "size": size}))


# --- the comparison

def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def compare(scenario: str, runs: dict[str, tuple[Path, str]], rounds: int) -> bool:
    """Alternate baseline and current; print each run, the median ratio; True if same output."""
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in runs}
    for n in range(rounds):
        for name, (code, db) in runs.items():
            load = _load()
            r = _spawn(scenario, code, db)
            results[name].append(r)
            print(f"{scenario:7} {name:8} round {n + 1}: wall {r['seconds']:7.2f} s  "
                  f"CPU {r['cpu_seconds']:7.2f} s  (load {load})", flush=True)
    base, new = results["baseline"], results["current"]
    same = {r["digest"] for r in base} == {r["digest"] for r in new} and len(
        {r["digest"] for r in new}) == 1
    wall = sorted(n["seconds"] / b["seconds"] for b, n in zip(base, new, strict=True))
    cpu = sorted(n["cpu_seconds"] / b["cpu_seconds"] for b, n in zip(base, new, strict=True))
    print(f"{scenario:7} current/baseline: wall ×{wall[len(wall) // 2]:.2f} "
          f"(runs {', '.join(f'{x:.2f}' for x in wall)}), CPU ×{cpu[len(cpu) // 2]:.2f}; "
          f"same {'cells' if scenario.startswith('export') else 'text'}: {same} "
          f"({new[0]['size']:,} {'bytes' if scenario.startswith('export') else 'characters'})",
          flush=True)
    return same


def main(argv: list[str] | None = None) -> int:
    """Run each scenario for the baseline and this checkout, alternated, and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--agents", type=int, default=100)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--base", default=BASE, help="the baseline commit (default %(default)s)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--drop-index", action="append", default=[], metavar="NAME",
                        help="an index the baseline's code does not have (its copy of the data "
                             f"goes without it; perf6's base ed7c41a: {OLD_TIMES_INDEX})")
    parser.add_argument("--same-schema", action="store_true",
                        help="the baseline has migration 0021 (its copy keeps those indexes)")
    parser.add_argument("--scenarios", default="report,closed",
                        help=f"comma-separated, of {', '.join(SCENARIOS)}")
    parser.add_argument("--pg", metavar="URL",
                        help="a PostgreSQL server, postgresql+asyncpg://user:password@host:port")
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--code", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        run_one(args.run, args.code, args.url)
        return 0
    base_code = checkout(args.base)
    drop = (*(() if args.same_schema else BASE_SCHEMA),
            *(f"DROP INDEX IF EXISTS {i}" for i in args.drop_index))
    codes = {"baseline": base_code, "current": ROOT}
    if args.pg:
        pg = Postgres(args.pg, args.agents, args.responses)
        stem = pg.source()
        dbs = {"baseline": pg.copy(stem, f"base_{base_code.name[5:]}", drop) if drop else stem,
               "current": stem}
        open_urls = {k: pg.url(v) for k, v in dbs.items()}
        closed = {k: (lambda k=k: closed_pg(pg, codes[k], dbs[k], k)) for k in codes}
    else:
        source = data_file(args.agents, args.responses)
        files = {"baseline": variant(source, f"base-{base_code.name[5:]}", drop) if drop
                 else source,
                 "current": source}
        open_urls = {k: _sqlite(v) for k, v in files.items()}
        closed = {k: (lambda k=k: closed_copy(codes[k], files[k], k)) for k in codes}
    ok = True
    for scenario in args.scenarios.split(","):
        if scenario == "sections":
            print(f"sections of the open month's report (current code, load {_load()}):")
            for name, cpu in _spawn(scenario, ROOT, open_urls["current"])["sections"].items():
                print(f"  {name:45} CPU {cpu:6.2f} s", flush=True)
            continue
        if scenario in ("report", "export-open"):
            runs = {k: (codes[k], open_urls[k]) for k in codes}
        else:
            runs = {k: (codes[k], closed[k]()) for k in codes}  # closed once, when asked
        ok = compare(scenario, runs, args.rounds) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
