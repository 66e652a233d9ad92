"""The schema comes only from the migrations, and they agree with the models."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.cli import main
from surveys import migrations
from surveys.core.db import create_engine
from tests.fixtures.databases import PgDatabases
from tests.fixtures.terminal import speak


def _assert_no_diffs(diffs: list[object], where: str) -> None:
    assert not diffs, f"{where}: {migrations.REGENERATE_HINT}\n\ndifferences: {diffs!r}"


async def _tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


async def test_migrated_database_matches_the_models(engine: AsyncEngine) -> None:
    # `engine` is SQLite, or PostgreSQL when the suite runs with OWNERVOICE_TEST_DB=postgres.
    _assert_no_diffs(await migrations.schema_diffs(engine), engine.dialect.name)
    assert await migrations.current_revision(engine) == migrations.head_revision()


@pytest.mark.postgres
async def test_migrated_postgres_database_matches_the_models(pg_db_url: str) -> None:
    eng = create_engine(pg_db_url)
    try:
        _assert_no_diffs(await migrations.schema_diffs(eng), "postgresql")
    finally:
        await eng.dispose()


@pytest.fixture
async def scratch_engine(scratch_db_url: str) -> AsyncIterator[AsyncEngine]:
    eng = create_engine(scratch_db_url)
    yield eng
    await eng.dispose()


async def test_comparison_notices_a_schema_that_drifted(scratch_engine: AsyncEngine) -> None:
    engine = scratch_engine
    async with engine.begin() as conn:
        await conn.execute(text("DROP INDEX ix_outbox_due"))
    diffs = await migrations.schema_diffs(engine)
    assert [d[0] for d in diffs] == ["add_index"]


async def test_upgrading_an_up_to_date_database_changes_nothing(
    scratch_engine: AsyncEngine,
) -> None:
    engine = scratch_engine
    before = await _tables(engine)
    await migrations.upgrade(engine)
    assert await _tables(engine) == before
    assert await migrations.current_revision(engine) == migrations.head_revision()


async def test_downgrade_to_base_removes_every_table_and_upgrade_restores_them(
    scratch_engine: AsyncEngine,
) -> None:
    engine = scratch_engine
    full = await _tables(engine)
    assert {"survey", "outbox", "owner", "alembic_version"} <= full
    await migrations.downgrade(engine, "base")
    assert await _tables(engine) <= {"alembic_version"}
    await migrations.upgrade(engine)
    assert await _tables(engine) == full
    _assert_no_diffs(await migrations.schema_diffs(engine), engine.dialect.name)


def test_db_upgrade_command_builds_the_schema_of_an_empty_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    speak(monkeypatch, "en_US.UTF-8")
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    assert main(["db", "--db-url", url, "current"]) == 1  # not migrated yet
    assert main(["db", "--db-url", url, "upgrade"]) == 0
    assert main(["db", "--db-url", url, "current"]) == 0
    out = capsys.readouterr().out
    assert f"at revision {migrations.head_revision()}" in out
    assert "up to date" in out


@pytest.mark.postgres
async def test_replicas_upgrading_at_once_migrate_postgres_exactly_once(
    pg_databases: PgDatabases,
) -> None:
    # An empty database (not a clone of the migrated template).
    url = pg_databases.create()
    engine = create_engine(url)
    try:
        await migrations.downgrade(engine, "base")
        engines = [create_engine(url) for _ in range(3)]
        try:
            await asyncio.gather(*(migrations.upgrade(e) for e in engines))
        finally:
            for e in engines:
                await e.dispose()
        assert await migrations.current_revision(engine) == migrations.head_revision()
        _assert_no_diffs(await migrations.schema_diffs(engine), "postgresql")
    finally:
        await engine.dispose()
        pg_databases.drop(url)


NOW = "2026-12-06 00:00:00"


async def _homes(conn: AsyncConnection, accounts: dict[int, int | None]) -> None:
    """Insert community 1 and one owner row (a home) per id, bound to the account given."""
    await conn.execute(text("INSERT INTO community (id, code, name, timezone, created_at) "
                            f"VALUES (1, 'GG', '绿地花园', 'Asia/Shanghai', '{NOW}')"))
    for owner_id, account in accounts.items():
        bound = "NULL" if account is None else str(account)
        await conn.execute(text(
            "INSERT INTO owner (id, community_id, name, opted_out, created_at, "
            f"telegram_user_id, chat_id) VALUES ({owner_id}, 1, '王先生', false, '{NOW}', "
            f"{bound}, {bound})"))


async def _columns(engine: AsyncEngine, table: str) -> list[str]:
    async with engine.connect() as conn:
        return await conn.run_sync(
            lambda c: [col["name"] for col in inspect(c).get_columns(table)])


async def _texts(conn: AsyncConnection, rows: list[tuple[int, int, str]]) -> None:
    """Insert owner texts: (id, owner id, status)."""
    for text_id, owner_id, status in rows:
        await conn.execute(text(
            "INSERT INTO owner_text (id, owner_id, text, classification, status, created_at) "
            f"VALUES ({text_id}, {owner_id}, '门禁坏了', '{{}}', '{status}', '{NOW}')"))


async def test_several_homes_of_one_account_survive_the_upgrade_and_a_downgrade_keeps_the_first(
    scratch_engine: AsyncEngine,
) -> None:
    engine = scratch_engine
    async with engine.begin() as conn:
        await _homes(conn, {1: 42, 2: 42})  # one account, two homes: allowed since 0022
    await migrations.downgrade(engine, "0021")
    async with engine.connect() as conn:
        rows = (await conn.execute(text(
            "SELECT id, telegram_user_id FROM owner ORDER BY id"))).all()
    assert [tuple(r) for r in rows] == [(1, 42), (2, None)]
    await migrations.upgrade(engine)
    _assert_no_diffs(await migrations.schema_diffs(engine), engine.dialect.name)


async def test_texts_kept_before_alert_windows_each_count_as_alerted_at_once(
    scratch_engine: AsyncEngine,
) -> None:
    engine = scratch_engine
    await migrations.downgrade(engine, "0022")
    async with engine.begin() as conn:
        await _homes(conn, {1: None})
        await _texts(conn, [(1, 1, "kept"), (2, 1, "awaiting"), (3, 1, "kept")])
    await migrations.upgrade(engine)
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT id, alert_id FROM owner_text ORDER BY id"))).all()
    assert [tuple(r) for r in rows] == [(1, 1), (2, None), (3, 3)]
    _assert_no_diffs(await migrations.schema_diffs(engine), engine.dialect.name)


async def test_waiting_words_get_the_account_holding_their_home_and_a_downgrade_drops_it(
    scratch_engine: AsyncEngine,
) -> None:
    engine = scratch_engine
    await migrations.downgrade(engine, "0023")
    async with engine.begin() as conn:
        await _homes(conn, {1: 42, 2: None})  # a home bound, a home unbound
        await _texts(conn, [(1, 1, "awaiting"), (2, 2, "awaiting"), (3, 1, "awaiting")])
    await migrations.upgrade(engine)
    async with engine.connect() as conn:
        rows = (await conn.execute(text(
            "SELECT id, telegram_user_id FROM owner_text ORDER BY id"))).all()
        moved = (await conn.execute(text("SELECT moved_at FROM owner ORDER BY id"))).all()
    assert [tuple(r) for r in rows] == [(1, 42), (2, None), (3, 42)]
    assert [r[0] for r in moved] == [None, None]
    _assert_no_diffs(await migrations.schema_diffs(engine), engine.dialect.name)
    await migrations.downgrade(engine, "0023")
    columns = await _columns(engine, "owner_text")
    assert "telegram_user_id" not in columns and "alert_id" in columns


async def test_complaints_get_the_account_that_filed_them_unless_their_home_moved_since(
    scratch_engine: AsyncEngine,
) -> None:
    engine = scratch_engine
    await migrations.downgrade(engine, "0024")
    async with engine.begin() as conn:
        await _homes(conn, {1: 42, 2: None, 3: 43})  # bound, unbound, moved to 43 at noon
        await conn.execute(text("UPDATE owner SET moved_at = '2026-12-06 12:00:00' WHERE id = 3"))
        for cid, owner_id, opened in [(1, 1, NOW), (2, 2, NOW), (3, 3, NOW),
                                      (4, 3, "2026-12-06 13:00:00")]:
            await conn.execute(text(
                "INSERT INTO complaint (id, source, owner_id, tags, evidence, urgent, status, "
                f"opened_at, ack_deadline, escalations, voided) VALUES ({cid}, 'direct', "
                f"{owner_id}, '[]', '{{}}', false, 'open', '{opened}', '{opened}', 0, false)"))
    await migrations.upgrade(engine)
    async with engine.connect() as conn:
        rows = (await conn.execute(text(
            "SELECT id, telegram_user_id FROM complaint ORDER BY id"))).all()
    # Complaint 3 was filed before its home moved to 43: 43 is not its filer.
    assert [tuple(r) for r in rows] == [(1, 42), (2, None), (3, None), (4, 43)]
    _assert_no_diffs(await migrations.schema_diffs(engine), engine.dialect.name)
    await migrations.downgrade(engine, "0024")
    columns = await _columns(engine, "complaint")
    assert "telegram_user_id" not in columns and "owner_id" in columns
