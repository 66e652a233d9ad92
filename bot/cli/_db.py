"""Open the configured database for a one-shot CLI command, or say in one line why not.

`--db-url` (or `database.url`) must be an async SQLAlchemy URL; a SQLite file's folder must
exist and be writable; a command that only reads (`report`, every `list`) never creates an
empty file and asks for `ownervoice db upgrade` when the database is missing or behind.
"""

from __future__ import annotations

import errno
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bot.cli.db_failures import DB_FAILED, failure_message
from bot.cli.errors import (
    BAD_URL,
    CANNOT_OPEN,
    CANNOT_REACH,
    DB_NAME_TOO_LONG,
    NO_DATABASE,
    NOT_MIGRATED,
    CliError,
)

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from bot.config import Settings
    from surveys.core.db import SessionFactory

T = TypeVar("T")
DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")


def resolve_url(raw: str | None, settings: Settings | None) -> str:
    """Return the database URL to use, or raise CliError when it is not one we can open."""
    from sqlalchemy.engine import make_url  # why: CLI start-up stays fast
    from sqlalchemy.exc import ArgumentError  # why: CLI start-up stays fast

    if raw:
        url = raw
    else:
        assert settings is not None  # callers pass settings when there is no --db-url
        url = settings.database.url
    try:
        parsed = make_url(url)
    except ArgumentError:
        # A plain path: show the URL that would open it.
        raise CliError(BAD_URL, url=url, example=url or "ownervoice.db") from None
    if parsed.drivername not in DRIVERS:
        example = parsed.database if parsed.drivername.startswith("sqlite") else None
        raise CliError(BAD_URL, url=url, example=example or "ownervoice.db")
    return str(url)


def where(url: str) -> str:
    """Return the URL as the person may read it (no password)."""
    from sqlalchemy.engine import make_url  # why: CLI start-up stays fast

    return make_url(url).render_as_string(hide_password=True)


def sqlite_path(url: str) -> Path | None:
    """Return the file behind a SQLite URL (None for PostgreSQL or an in-memory database)."""
    from sqlalchemy.engine import make_url  # why: CLI start-up stays fast

    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def check_file(url: str, *, must_exist: bool) -> None:
    """Refuse a SQLite file that is missing (when it must exist) or cannot be written."""
    path = sqlite_path(url)
    if path is None:
        return
    try:
        exists = path.exists()
    except OSError as exc:  # the system's English ("File name too long") is not said
        raise CliError(DB_NAME_TOO_LONG if exc.errno == errno.ENAMETOOLONG else CANNOT_OPEN,
                       path=str(path)) from exc
    if must_exist and not exists:
        raise CliError(NO_DATABASE, where=str(path))
    folder = path.absolute().parent
    writable = path if exists else folder
    if not folder.is_dir() or not os.access(writable, os.W_OK):
        raise CliError(CANNOT_OPEN, path=str(path))


@asynccontextmanager
async def opened(url: str) -> AsyncIterator[AsyncEngine]:
    """Yield an engine that could connect; raise CliError when it cannot."""
    from sqlalchemy.exc import DBAPIError  # why: CLI start-up stays fast

    from surveys.core.db import create_engine  # why: CLI start-up stays fast

    engine = create_engine(url)
    try:
        try:
            async with engine.connect():
                pass
        except DBAPIError as exc:
            raise database_failure(exc, url, connecting=True) from exc
        except OSError as exc:
            raise _unopened(url) from exc
        try:
            yield engine
        except DBAPIError as exc:  # the command's own queries: the cause, not a class name
            raise database_failure(exc, url) from exc
    finally:
        await engine.dispose()


def database_failure(exc: BaseException | None, url: str, *, connecting: bool = False) -> CliError:
    """Return the line for a database that failed at `url` (while connecting, or later)."""
    message = failure_message(exc)
    if message == DB_FAILED and connecting:
        return _unopened(url)
    path = sqlite_path(url)
    return CliError(message, where=str(path) if path is not None else where(url))


def _unopened(url: str) -> CliError:
    path = sqlite_path(url)
    if path is not None:
        return CliError(CANNOT_OPEN, path=str(path))
    return CliError(CANNOT_REACH, where=where(url))


async def require_current(engine: AsyncEngine, url: str) -> None:
    """Refuse a database that was never migrated or is behind this version."""
    from surveys import migrations  # why: CLI start-up stays fast

    current, head = await migrations.current_revision(engine), migrations.head_revision()
    if current is None:
        raise CliError(NO_DATABASE, where=where(url))
    if current != head:
        raise CliError(NOT_MIGRATED, where=where(url), current=current, head=head)


async def with_db(url: str | None, action: Callable[[SessionFactory, Settings], Awaitable[T]]) -> T:
    """Run `action(db, settings)` against the configured database, migrated first."""
    from bot.config import load_settings  # why: CLI start-up stays fast
    from surveys.core.db import create_schema, session_factory  # why: CLI start-up stays fast

    settings = load_settings()
    resolved = resolve_url(url, settings)
    check_file(resolved, must_exist=False)
    async with opened(resolved) as engine:
        await create_schema(engine)
        return await action(session_factory(engine), settings)


async def with_current_db(url: str | None,
                          action: Callable[[SessionFactory, Settings], Awaitable[T]]) -> T:
    """Run `action(db, settings)` against an existing, up-to-date database; create nothing."""
    from bot.config import load_settings  # why: CLI start-up stays fast
    from surveys.core.db import session_factory  # why: CLI start-up stays fast

    settings = load_settings()
    resolved = resolve_url(url, settings)
    check_file(resolved, must_exist=True)
    async with opened(resolved) as engine:
        await require_current(engine, resolved)
        return await action(session_factory(engine), settings)
