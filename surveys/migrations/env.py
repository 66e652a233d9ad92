"""Alembic environment: runs revisions on a connection handed in, or on the configured URL.

`surveys.migrations.upgrade()` passes a live connection through `config.attributes` so the
migrations share the caller's engine (and its event loop); the alembic command line without
one opens its own async engine from `sqlalchemy.url`.
"""

from __future__ import annotations

import asyncio
import warnings
from typing import Any

from alembic import context
from alembic.operations import ops
from sqlalchemy import ForeignKeyConstraint
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from surveys import models  # noqa: F401  (registers every table on SQLModel.metadata)
from surveys.core.db import create_engine

config = context.config
target_metadata = SQLModel.metadata

# community.duty_agent_id -> agent and agent.community_id -> community form a cycle; the
# rewrite below handles it, so the sorting warning is noise here.
warnings.filterwarnings("ignore", message="Cannot correctly sort tables")


def _defer_forward_foreign_keys(_context: Any, _revision: Any, directives: list[Any]) -> None:
    """Add foreign keys to tables created later as a separate step, after every table.

    Autogenerate creates tables in dependency order, which a reference cycle cannot satisfy;
    PostgreSQL refuses a foreign key to a table that does not exist yet.
    """
    script = directives[0]
    created: set[str] = set()
    deferred: list[ops.MigrateOperation] = []
    undo: list[ops.MigrateOperation] = []
    for op in list(script.upgrade_ops.ops):
        if not isinstance(op, ops.CreateTableOp):
            continue
        created.add(op.table_name)
        for item in list(op.columns):
            if not isinstance(item, ForeignKeyConstraint):
                continue
            target = item.elements[0].target_fullname.split(".")[0]
            if target in created:
                continue
            op.columns = [c for c in op.columns if c is not item]
            local = [c.name for c in item.columns]
            remote = [e.target_fullname.split(".")[1] for e in item.elements]
            name = item.name or f"fk_{op.table_name}_{'_'.join(local)}_{target}"
            create = ops.CreateForeignKeyOp(name, op.table_name, target, local, remote)
            deferred.append(ops.ModifyTableOps(op.table_name, [create]))
            drop = ops.DropConstraintOp(name, op.table_name, type_="foreignkey")
            undo.append(ops.ModifyTableOps(op.table_name, [drop]))
    script.upgrade_ops.ops.extend(deferred)
    script.downgrade_ops.ops[:0] = undo


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        process_revision_directives=_defer_forward_foreign_keys,
        # SQLite cannot ALTER most things: batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )


def _run_on(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def _run_on_url(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.run_sync(_run_on)
            await conn.commit()
    finally:
        await engine.dispose()


def _main() -> None:
    connection = config.attributes.get("connection")
    url = config.get_main_option("sqlalchemy.url")
    if connection is not None:
        _run_on(connection)
    elif context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
    else:
        if not url:
            raise RuntimeError("no database URL: set sqlalchemy.url or pass a connection")
        asyncio.run(_run_on_url(url))


_main()
