"""The async engine and session factory; services receive `db: SessionFactory`.

A service opens its own transaction: `async with db() as session, session.begin(): ...`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Insert, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys import models  # noqa: F401  (registers the tables on SQLModel.metadata)

SessionFactory = async_sessionmaker[AsyncSession]

DEFAULT_URL = "sqlite+aiosqlite:///ownervoice.db"


def is_sqlite(url: str) -> bool:
    """Tell whether a database URL points at SQLite."""
    return url.startswith("sqlite")


def create_engine(url: str = DEFAULT_URL, **kwargs: Any) -> AsyncEngine:
    """Create the async engine with the pragmas SQLite needs for concurrent use."""
    if is_sqlite(url):
        kwargs.setdefault("connect_args", {"timeout": 30})
    else:
        kwargs.setdefault("pool_pre_ping", True)
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            # WAL lets readers and one writer work at once; foreign keys are off by default.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    return engine


def insert_ignoring_conflicts(
    session: AsyncSession, table: Any, conflict_columns: tuple[str, ...], **values: Any
) -> Insert:
    """Build `INSERT … ON CONFLICT (columns) DO NOTHING` for the session's database."""
    name = session.bind.dialect.name if session.bind is not None else "sqlite"
    dialect = postgresql if name == "postgresql" else sqlite
    return dialect.insert(table).values(**values).on_conflict_do_nothing(
        index_elements=list(conflict_columns))


def session_factory(engine: AsyncEngine) -> SessionFactory:
    """Return the session factory services use."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def create_schema(engine: AsyncEngine) -> None:
    """Bring the database to the newest migration (the schema comes only from migrations)."""
    from surveys import migrations

    await migrations.upgrade(engine)
