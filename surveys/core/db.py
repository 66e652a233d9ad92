"""The async engine and session factory; services receive `db: SessionFactory`.

A service opens its own transaction: `async with db() as session, session.begin(): ...`.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Insert, event, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys import models  # noqa: F401  (registers the tables on SQLModel.metadata)

SessionFactory = async_sessionmaker[AsyncSession]
log = logging.getLogger(__name__)

DEFAULT_URL = "sqlite+aiosqlite:///ownervoice.db"
# What the driver raises when the database fails under a query (a restart, a failover), under
# a name of ours: the HTTP server answers "retry later" without importing SQLAlchemy.
DatabaseError = DBAPIError


def is_sqlite(url: str) -> bool:
    """Tell whether a database URL points at SQLite."""
    return url.startswith("sqlite")


def create_engine(url: str = DEFAULT_URL, *, log_sql_parameters: bool = False,
                  **kwargs: Any) -> AsyncEngine:
    """Create the async engine with the pragmas SQLite needs for concurrent use.

    SQL parameters (owners' comments, phones) stay out of log lines and error messages
    unless `log_sql_parameters` asks for them.
    """
    kwargs.setdefault("hide_parameters", not log_sql_parameters)
    if is_sqlite(url):
        kwargs.setdefault("connect_args", {"timeout": 30})
    else:
        kwargs.setdefault("pool_pre_ping", True)
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):
        path = make_url(url).database

        @event.listens_for(engine.sync_engine, "do_connect")
        def _private_file(*_args: Any) -> None:
            create_private(path)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            # WAL lets readers and one writer work at once; foreign keys are off by default.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Deleted and overwritten content is zeroed, not left in free space (see /forget).
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

    return engine


def create_private(path: str | None) -> None:
    """Create a missing SQLite file readable by its owner only; leave an existing one be.

    The database holds owners' names, phones and words: with the usual umask (022) SQLite
    would create it world-readable. It gives its -wal and -shm files the database's mode.
    """
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    with contextlib.suppress(OSError):  # there already, or no folder: connecting says so
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def insert_ignoring_conflicts(
    session: AsyncSession, table: Any, conflict_columns: tuple[str, ...], **values: Any
) -> Insert:
    """Build `INSERT … ON CONFLICT (columns) DO NOTHING` for the session's database."""
    name = session.bind.dialect.name if session.bind is not None else "sqlite"
    if name == "postgresql":
        return postgresql.insert(table).values(**values).on_conflict_do_nothing(
            index_elements=list(conflict_columns))
    return sqlite.insert(table).values(**values).on_conflict_do_nothing(
        index_elements=list(conflict_columns))


async def purge_old_copies(db: SessionFactory) -> bool:
    """After an erase on SQLite, fold the WAL into the main file and truncate it.

    The WAL keeps the pages as they were before the erase until a checkpoint; with
    `secure_delete` the main file keeps no copy either. Return False when readers kept the
    checkpoint from finishing (the next checkpoint completes it). PostgreSQL: see README.
    """
    async with db() as s:
        conn = await s.connection()
        if conn.dialect.name != "sqlite":
            return True
        busy = (await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).one()[0]
    if busy:
        log.warning("checkpoint after an erase was blocked by readers; the next one completes it")
    return not busy


def session_factory(engine: AsyncEngine) -> SessionFactory:
    """Return the session factory services use."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def create_schema(engine: AsyncEngine) -> None:
    """Bring the database to the newest migration (the schema comes only from migrations)."""
    from surveys import migrations  # why: alembic (~0.4 s) loads only to migrate

    await migrations.upgrade(engine)


async def insert_rows(session: AsyncSession, table: Any, rows: Sequence[dict[str, Any]]
                      ) -> list[int]:
    """Insert rows with multi-row INSERT ... RETURNING statements; return their ids in order."""
    if not rows:
        return []
    result = await session.exec(
        insert(table).returning(table.id, sort_by_parameter_order=True),
        params=list(rows))
    return list(result.scalars().all())
