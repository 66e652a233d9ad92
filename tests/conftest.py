"""Shared fixtures: a real SQLite database per test and a controllable clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from surveys import clock as domain_clock
from surveys.db import SessionFactory, create_engine, create_schema, session_factory


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """Return the URL of a fresh, empty SQLite database file."""
    return f"sqlite+aiosqlite:///{tmp_path / 'ownervoice-test.db'}"


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    """Yield an engine on a database that has the full schema."""
    eng = create_engine(db_url)
    await create_schema(eng)
    yield eng
    await eng.dispose()


@pytest.fixture
def db(engine: AsyncEngine) -> SessionFactory:
    """Return the session factory services take as `db`."""
    return session_factory(engine)


@pytest.fixture
def clock() -> Iterator[domain_clock.FrozenClock]:
    """Freeze the domain clock at Monday 2026-11-16 10:00 UTC; advance it in the test."""
    frozen = domain_clock.FrozenClock(datetime(2026, 11, 16, 10, 0)).install()
    yield frozen
    domain_clock.FrozenClock.uninstall()
