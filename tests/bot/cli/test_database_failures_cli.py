"""A database that fails under a command is one line that says what and what to do, exit 2.

No exception class name ("OperationalError") and no traceback reaches the person at the
terminal, whichever command met the failure.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy.exc import DBAPIError

from bot.cli import main
from bot.cli._db import database_failure, sqlite_path, where
from bot.cli.errors import say
from surveys.core.db import create_engine, is_sqlite
from tests.fixtures.terminal import cli_env, closed_port

COMMANDS = [
    ["surveys", "links", "--since", "2026-11-01"],
    ["report", "--period", "week"],
    ["managers", "list"],
    ["points", "config"],
]
CLASS_NAME = re.compile(r"[A-Z][a-z]+(Error|Exception)")


@pytest.fixture
def links_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """`surveys links` needs the web page on and a link key."""
    monkeypatch.setenv("OWNERVOICE_INVITES__SECRET", "cli-secret")
    monkeypatch.setenv("OWNERVOICE_WEB__BASE_URL", "https://survey.example.com")


def _named(url: str) -> str:
    path = sqlite_path(url)
    return str(path) if path is not None else where(url)


async def _drop_every_table(url: str) -> None:
    """Leave the revision at head but take the tables away, as a hand-made mistake would."""
    engine = create_engine(url)
    async with engine.begin() as conn:
        names = await conn.run_sync(lambda c: sqlalchemy.inspect(c).get_table_names())
        if is_sqlite(url):
            await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        for name in names:
            if name != "alembic_version":
                cascade = "" if is_sqlite(url) else " CASCADE"
                await conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"{cascade}')
    await engine.dispose()


def _run(command: list[str], url: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main([*command, "--db-url", url]) == 2
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert not CLASS_NAME.search(lines[0]), lines[0]
    return lines[0]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_database_whose_tables_are_gone_says_so_and_to_restore_it_whatever_the_command(
        scratch_db_url: str, command: list[str], links_on: None,
        capsys: pytest.CaptureFixture[str], terminal: Callable[[str], None]) -> None:
    asyncio.run(_drop_every_table(scratch_db_url))
    terminal("en_US.UTF-8")
    line = _run(command, scratch_db_url, capsys)
    assert line.startswith(f"ownervoice {command[0]}")
    assert line.endswith(f": the database at {_named(scratch_db_url)} "
                              "lacks a table or column this version uses, though its revision is "
                         "current; it was changed outside ownervoice: restore it from a backup")


def test_the_missing_tables_are_said_in_chinese_to_a_chinese_terminal(
        scratch_db_url: str, links_on: None, capsys: pytest.CaptureFixture[str],
        terminal: Callable[[str], None]) -> None:
    asyncio.run(_drop_every_table(scratch_db_url))
    terminal("zh_CN.UTF-8")
    line = _run(COMMANDS[0], scratch_db_url, capsys)
    assert line == (f"ownervoice surveys links：{_named(scratch_db_url)} 的数据库缺少本版本使用"
                    "的表或列（其版本号却是最新的），可能在 ownervoice 之外被改动过；请从备份恢复")


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_file_that_is_not_a_database_is_called_damaged_not_an_unwritable_folder(
        tmp_path: Path, command: list[str], links_on: None,
        capsys: pytest.CaptureFixture[str], terminal: Callable[[str], None]) -> None:
    path = tmp_path / "ownervoice.db"
    path.write_bytes(b"this is a spreadsheet, saved over the database\n" * 200)
    terminal("en_US.UTF-8")
    line = _run(command, f"sqlite+aiosqlite:///{path}", capsys)
    assert line.endswith(f": {path} is not a readable ownervoice database (the file is damaged "
                         "or is another kind of file); check database.url / --db-url, or "
                         "restore it from a backup")


@pytest.fixture
def locked_sqlite(tmp_path: Path) -> Iterator[Path]:
    """A SQLite file another process holds an exclusive lock on."""
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE community (id INTEGER PRIMARY KEY)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield path
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_database_locked_by_another_process_says_to_wait_and_run_again(
        locked_sqlite: Path, capsys: pytest.CaptureFixture[str],
        terminal: Callable[[str], None]) -> None:
    # The CLI waits 30 s for a lock; the same error, without the wait, from a real lock.
    engine = sqlalchemy.create_engine(f"sqlite:///{locked_sqlite}",
                                      connect_args={"timeout": 0})
    with pytest.raises(DBAPIError) as raised, engine.connect() as conn:
        conn.exec_driver_sql("SELECT * FROM community")
    engine.dispose()
    url = f"sqlite+aiosqlite:///{locked_sqlite}"
    for lang, expected in [
        ("en_US.UTF-8", f"ownervoice report: the database at {locked_sqlite} is locked by "
                        "another process and stayed locked; wait until that process finishes "
                        "(e.g. a backup or a long import) and run the command again"),
        ("zh_CN.UTF-8", f"ownervoice report：{locked_sqlite} 的数据库被另一个进程锁住，一直未"
                        "释放；请等该进程结束（例如备份或大批导入）后重新运行"),
    ]:
        terminal(lang)
        say(database_failure(raised.value, url), command="report")
        assert capsys.readouterr().err == expected + "\n"


@pytest.mark.parametrize("database", ["damaged", "unreachable"])
def test_run_on_a_database_it_cannot_use_says_why_in_one_line(tmp_path: Path,
                                                               database: str) -> None:
    if database == "damaged":
        (tmp_path / "ownervoice.db").write_bytes(b"not a database\n" * 400)
        url = f"sqlite+aiosqlite:///{tmp_path / 'ownervoice.db'}"
        expected = (f"ownervoice run: {tmp_path / 'ownervoice.db'} is not a readable "
                    "ownervoice database (the file is damaged or is another kind of file); "
                    "check database.url / --db-url, or restore it from a backup")
    else:
        url = f"postgresql+asyncpg://ov:s3cret@127.0.0.1:{closed_port()}/ov"
        expected = (f"ownervoice run: cannot use the database at {where(url)}: is it running, "
                    "and are the host, port, user, password and database name right?")
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run", "--no-api"], cwd=tmp_path,
        env=cli_env("en_US.UTF-8", OWNERVOICE_DATABASE__URL=url,
                    OWNERVOICE_TELEGRAM__TOKEN="123456:TEST", OWNERVOICE_LOG_LEVEL="WARNING",
                    OWNERVOICE_TELEGRAM__API_BASE=f"http://127.0.0.1:{closed_port()}"),
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[-1] == expected, done.stderr
    assert "Traceback" not in done.stderr and "s3cret" not in done.stderr
