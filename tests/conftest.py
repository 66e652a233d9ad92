"""Shared fixtures: a real database per test (built from the migrations) and a clock.

The database is SQLite by default and PostgreSQL with `OWNERVOICE_TEST_DB=postgres` plus
`OWNERVOICE_TEST_PG_URL`; see `tests/fixtures/databases.py`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from surveys.core import clock as domain_clock
from surveys.core.db import SessionFactory, create_engine, session_factory
from tests.fixtures import databases
from tests.fixtures.runtimes import chat_runtime, pytest_collectstart  # noqa: F401
from tests.fixtures.terminal import cli_workdir, terminal  # noqa: F401
from tests.fixtures.workers import pytest_xdist_auto_num_workers  # noqa: F401


def pytest_configure(config: pytest.Config) -> None:
    if databases.suite_on_postgres() and not databases.pg_url():
        raise pytest.UsageError(
            f"{databases.TEST_DB_ENV}=postgres needs {databases.PG_URL_ENV}, e.g. "
            "postgresql+asyncpg://ownervoice:ownervoice@127.0.0.1:5432/ownervoice_test"
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A `postgres` test skips locally without a server but must fail in CI: the check lives
    # in the `pg_server_url` fixture, which every such test gets.
    for item in items:
        if (
            item.get_closest_marker("postgres")
            and isinstance(item, pytest.Function)
            and "pg_server_url" not in item.fixturenames
        ):
            item.fixturenames.insert(0, "pg_server_url")


@pytest.fixture(scope="session")
def pg_server_url() -> str:
    """Return the PostgreSQL URL for tests; skip locally, fail in CI, when there is none."""
    url = databases.pg_url()
    problem = (
        f"{databases.PG_URL_ENV} is not set (e.g. "
        "postgresql+asyncpg://ownervoice:ownervoice@127.0.0.1:5432/ownervoice_test)"
        if url is None
        else databases.check_pg_reachable(url)
    )
    if problem is not None:
        reason = f"needs PostgreSQL: {problem}"
        if databases.in_ci():
            pytest.fail(f"{reason} — CI=true, so PostgreSQL tests may not skip", pytrace=False)
        pytest.skip(reason)
    assert url is not None
    return url


@pytest.fixture(scope="session")
def pg_databases(pg_server_url: str) -> Iterator[databases.PgDatabases]:
    """Yield the per-test PostgreSQL database maker (template migrated once per session)."""
    maker = databases.PgDatabases(pg_server_url)
    maker.build_template()
    yield maker
    maker.close()


@pytest.fixture
def pg_db_url(pg_databases: databases.PgDatabases) -> Iterator[str]:
    """Return the URL of a fresh PostgreSQL database at the newest migration."""
    url = pg_databases.create()
    yield url
    pg_databases.drop(url)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a SQLite file migrated to head once per session (copied for each test)."""
    return databases.build_sqlite_template(tmp_path_factory.mktemp("schema"))


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return the URL of an empty database with the full schema (from the migrations)."""
    if databases.suite_on_postgres():
        maker: databases.PgDatabases = request.getfixturevalue("pg_databases")
        return maker.worker()
    template: Path = request.getfixturevalue("sqlite_template")
    return databases.copy_sqlite(template, tmp_path / "ownervoice-test.db")


@pytest.fixture
def scratch_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Return a database of the test's own, at head, that it may alter (schema included)."""
    if databases.suite_on_postgres():
        maker: databases.PgDatabases = request.getfixturevalue("pg_databases")
        url = maker.create()
        yield url
        maker.drop(url)
    else:
        template: Path = request.getfixturevalue("sqlite_template")
        yield databases.copy_sqlite(template, tmp_path / "ownervoice-scratch.db")


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    """Yield an engine on a fresh database that has the full schema."""
    eng = create_engine(db_url)
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
