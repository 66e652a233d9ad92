"""one owner per community and phone

Concurrent closes for one new phone used to create several owner rows (no unique key). This
revision merges them first: per (community, phone) it keeps the bound row (else the oldest),
re-points every row that references the others (each foreign key to owner.id, owner invites,
audit entries) to it, fills what it lacks (building, room, language) from them, keeps an
opt-out, deletes them and records an `owner.merge` audit entry; then it adds the unique index.
Every work order, survey, answer and complaint stays. A downgrade drops the index only.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 04:39:16.948465
"""

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.engine import Connection

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger(__name__)
FILLED = ("building", "room", "language")
owner = sa.table(
    "owner", sa.column("id"), sa.column("community_id"), sa.column("phone"),
    sa.column("telegram_user_id"), sa.column("opted_out"), *(sa.column(c) for c in FILLED),
)
invite = sa.table("invite", sa.column("role"), sa.column("subject_id"))
audit = sa.table(
    "audit_log", sa.column("at"), sa.column("actor_role"), sa.column("actor_id"),
    sa.column("action"), sa.column("subject_kind"), sa.column("subject_id"),
    sa.column("detail", sa.JSON()),
)


def _owner_references(bind: Connection) -> list[tuple[str, str]]:
    """Every (table, column) with a foreign key to owner.id, as the database has them."""
    inspector = sa.inspect(bind)
    return [
        (table, fk["constrained_columns"][0])
        for table in inspector.get_table_names()
        for fk in inspector.get_foreign_keys(table)
        if fk["referred_table"] == "owner" and fk["referred_columns"] == ["id"]
    ]


def _repoint(bind: Connection, refs: list[tuple[str, str]], keep: int, gone: list[int]) -> None:
    for table, column in refs:
        ref = sa.table(table, sa.column(column))
        bind.execute(ref.update().where(ref.c[column].in_(gone)).values({column: keep}))
    bind.execute(invite.update().where(invite.c.role == "owner", invite.c.subject_id.in_(gone))
                 .values(subject_id=keep))
    bind.execute(audit.update().where(audit.c.subject_kind == "owner",
                                      audit.c.subject_id.in_(gone)).values(subject_id=keep))
    bind.execute(audit.update().where(audit.c.actor_role == "owner", audit.c.actor_id.in_(gone))
                 .values(actor_id=keep))


def _merge(bind: Connection, refs: list[tuple[str, str]], community_id: int, phone: str) -> None:
    rows = bind.execute(
        sa.select(owner)
        .where(owner.c.community_id == community_id, owner.c.phone == phone)
        .order_by(owner.c.telegram_user_id.is_(None), owner.c.id)  # the bound row first
    ).mappings().all()
    keep, others = rows[0], rows[1:]
    gone = [r["id"] for r in others]
    lost = [r["id"] for r in others if r["telegram_user_id"] is not None]
    if lost:
        log.warning("owner rows %s were bound to other Telegram accounts; merged into %s, "
                    "those accounts bind again", lost, keep["id"])
    _repoint(bind, refs, keep["id"], gone)
    filled = {c: keep[c] or next((r[c] for r in others if r[c]), None) for c in FILLED}
    opted_out = any(r["opted_out"] for r in rows)
    bind.execute(owner.delete().where(owner.c.id.in_(gone)))
    bind.execute(owner.update().where(owner.c.id == keep["id"])
                 .values(opted_out=opted_out, **filled))
    bind.execute(audit.insert().values(
        at=datetime.now(UTC).replace(tzinfo=None), actor_role="system", actor_id=None,
        action="owner.merge", subject_kind="owner", subject_id=keep["id"],
        detail={"merged": gone},
    ))


def upgrade() -> None:
    """Merge owners sharing a community and phone, then make that pair unique."""
    bind = op.get_bind()
    groups = bind.execute(
        sa.select(owner.c.community_id, owner.c.phone)
        .where(owner.c.phone.is_not(None))
        .group_by(owner.c.community_id, owner.c.phone)
        .having(sa.func.count() > 1)
    ).all()
    if groups:
        refs = _owner_references(bind)
        for community_id, phone in groups:
            _merge(bind, refs, community_id, phone)
        log.info("merged duplicate owners of %s (community, phone) pairs", len(groups))
    with op.batch_alter_table("owner", schema=None) as batch_op:
        batch_op.create_index("uq_owner_community_phone", ["community_id", "phone"], unique=True)


def downgrade() -> None:
    """Drop the unique index (merged owners stay merged)."""
    with op.batch_alter_table("owner", schema=None) as batch_op:
        batch_op.drop_index("uq_owner_community_phone")
