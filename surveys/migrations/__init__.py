"""Schema migrations (Alembic), shipped inside the package.

The database schema comes only from these revisions. Run them with `ownervoice db upgrade`
or from code with `await upgrade(engine)`. After changing the tables in `surveys/models/`,
generate a revision with `ownervoice db revision -m "what changed" --autogenerate` and review it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import SQLModel

from surveys import models  # noqa: F401  (registers every table on SQLModel.metadata)

MIGRATIONS_DIR = Path(__file__).resolve().parent

# Replicas starting at once must not run the same revision twice: on PostgreSQL the upgrade
# transaction takes this advisory lock first (any constant; "ovmigr" in ASCII).
_UPGRADE_LOCK_KEY = 0x6F766D69677200

REGENERATE_HINT = (
    "the models and the migrations disagree. Generate a revision with\n"
    '    .venv/bin/ownervoice db revision -m "describe the change" --autogenerate\n'
    "and review it, or, before the first release, regenerate the initial one with\n"
    "    rm surveys/migrations/versions/0001_initial.py\n"
    "    .venv/bin/ownervoice db revision -m initial --autogenerate --rev-id 0001"
)


def alembic_config(url: str | None = None) -> Config:
    """Build the Alembic configuration (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str | None:
    """Return the newest revision id shipped with the package."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _with_connection(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[..., Any]:
    def run(sync_conn: Connection) -> Any:
        cfg = alembic_config()
        cfg.attributes["connection"] = sync_conn
        return fn(cfg, *args, **kwargs)

    return run


def _locked_upgrade(cfg: Config, revision: str) -> None:
    conn: Connection = cfg.attributes["connection"]
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_UPGRADE_LOCK_KEY})")
    command.upgrade(cfg, revision)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database up to `revision` in one transaction (idempotent)."""
    async with engine.begin() as conn:
        await conn.run_sync(_with_connection(_locked_upgrade, revision))


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    """Take the database down to `revision` (developers only; data in dropped tables is lost)."""
    async with engine.begin() as conn:
        await conn.run_sync(_with_connection(command.downgrade, revision))


async def current_revision(engine: AsyncEngine) -> str | None:
    """Return the revision the database is at, None when it was never migrated."""

    def read(sync_conn: Connection) -> str | None:
        return MigrationContext.configure(sync_conn).get_current_revision()

    async with engine.connect() as conn:
        return await conn.run_sync(read)


async def schema_diffs(engine: AsyncEngine) -> list[Any]:
    """Compare the database with the models; return Alembic's list of differences."""

    def compare(sync_conn: Connection) -> list[Any]:
        ctx = MigrationContext.configure(sync_conn, opts={"compare_type": True})
        with warnings.catch_warnings():
            # The agent <-> community reference cycle; harmless for the comparison.
            warnings.filterwarnings("ignore", message="Cannot correctly sort tables")
            return list(compare_metadata(ctx, SQLModel.metadata))

    async with engine.connect() as conn:
        return await conn.run_sync(compare)


async def autogenerate_revision(
    engine: AsyncEngine, *, message: str, rev_id: str | None = None
) -> list[Path]:
    """Write a new revision with the differences between `engine`'s database and the models."""

    def generate(cfg: Config) -> Any:
        return command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)

    async with engine.begin() as conn:
        scripts = await conn.run_sync(_with_connection(generate))
    if scripts is None:
        return []
    if not isinstance(scripts, list):
        scripts = [scripts]
    return [Path(s.path) for s in scripts]
