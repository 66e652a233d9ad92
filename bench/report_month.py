"""Benchmark: a month's manager /report (and /export) at scale, this checkout against a baseline.

    nice -n 10 .venv/bin/python bench/report_month.py                 # 1,000,000 responses
    nice -n 10 .venv/bin/python bench/report_month.py --responses 50000 --agents 20  # quick
    nice -n 10 .venv/bin/python bench/report_month.py --scenarios export \\
        --responses 50000 --agents 20                                  # the workbook

The data are bench/points.py's (100 agents, 1,250,000 closed orders, 1,000,000 responses in
November 2026, with opening and first-action times; cached under $TMPDIR/ownervoice-bench/).
The baseline is another commit of this repository (`--base`, default the commit before this
work), unpacked once with `git archive` next to the data. Each code runs on its own copy of the
file: the baseline's without the indexes added since (`--drop-index`), and for the closed
month a copy that the same code closed (its snapshot is what that code stores).

Scenarios, each a fresh process, baseline and current alternated `--rounds` times (the machine
is shared: read the ratios, and the load printed beside them):

- **report**: the text of the manager's `/report 2026-11` (`bot.staff.views.build_text`: points,
  回访率, response and resolution times, views by category and building) on 2026-12-05, the
  month awaiting its close;
- **closed**: the same once the month is closed;
- **export**: the `/export 2026-11` workbook (`bot.staff.files.export`) of the closed month.

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
BASE = "ed7c41a"  # main before the month report's work (issue 13, perf6)
NOW = datetime(2026, 12, 5, 12, 0)  # the month's appeal window ended on 12-03
PERIOD = "2026-11"
NEW_INDEXES = ("ix_work_order_timeliness",)  # added since BASE (migration 0016)
SCENARIOS = ("report", "closed", "export")


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
    """The cached data set of bench/points.py (built on first use)."""
    sys.path.insert(0, str(ROOT))
    from bench.points import _cache_path, build_sqlite

    path = _cache_path(agents, responses)
    if not path.exists():
        print(f"building {path} ...", flush=True)
        print(f"built in {build_sqlite(path, agents, responses):.0f} s", flush=True)
    return path


def variant(source: Path, name: str, drop: tuple[str, ...]) -> Path:
    """A copy of the data file for one code (without the indexes it does not know)."""
    target = source.with_name(f"{source.stem}-{name}.db")
    if not target.exists():
        tmp = target.with_suffix(".tmp")
        shutil.copyfile(source, tmp)
        with sqlite3.connect(tmp) as conn:
            for index in drop:
                conn.execute(f"DROP INDEX IF EXISTS {index}")
        tmp.rename(target)
    return target


def _spawn(scenario: str, code: Path, db: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--run", scenario, "--code", str(code), "--db", str(db)],
        capture_output=True, text=True, cwd=code)
    if done.returncode:
        raise SystemExit(f"{scenario} on {code.name} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def closed_copy(code: Path, source: Path, name: str) -> Path:
    """A copy of the file whose month the given code closed (once per commit; cached)."""
    sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], check=True,
                         capture_output=True, text=True).stdout.strip()
    label = code.name[5:] if code.name.startswith("code-") else sha
    target = source.with_name(f"{source.stem}-closed-{label}.db")
    if not target.exists():
        tmp = source.with_name(f"{source.stem}-closing.db")
        shutil.copyfile(source, tmp)
        print(f"closing {PERIOD} with {name} ...", flush=True)
        took = _spawn("close", code, tmp)
        print(f"  closed in {took['seconds']:.0f} s", flush=True)
        tmp.rename(target)
    return target


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


def run_one(scenario: str, code: str, db: str) -> None:
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
    url = f"sqlite+aiosqlite:///{db}"
    wall, cpu = time.perf_counter(), time.process_time()
    if scenario == "export":
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


def compare(scenario: str, runs: dict[str, tuple[Path, Path]], rounds: int) -> bool:
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
          f"same {'text' if scenario != 'export' else 'cells'}: {same} "
          f"({new[0]['size']:,} {'characters' if scenario != 'export' else 'bytes'})",
          flush=True)
    return same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--agents", type=int, default=100)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--base", default=BASE, help="the baseline commit (default %(default)s)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--scenarios", default="report,closed",
                        help=f"comma-separated, of {', '.join(SCENARIOS)}")
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--code", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        run_one(args.run, args.code, args.db)
        return 0
    source = data_file(args.agents, args.responses)
    base_code = checkout(args.base)
    open_files = {"baseline": variant(source, f"base-{base_code.name[5:]}", NEW_INDEXES),
                  "current": source}
    codes = {"baseline": base_code, "current": ROOT}
    ok = True
    for scenario in args.scenarios.split(","):
        if scenario == "report":
            runs = {k: (codes[k], open_files[k]) for k in codes}
        else:
            runs = {k: (codes[k], closed_copy(codes[k], open_files[k], k)) for k in codes}
        ok = compare(scenario, runs, args.rounds) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
