"""several homes per Telegram account: owner.telegram_user_id is no longer unique

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 04:00:00

An owner holding several flats (the same phone on several owner rows, in one community or
several) binds them all to one account. The unique index becomes a plain one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | Sequence[str] | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_owner_telegram_user_id"


def upgrade() -> None:
    """Upgrade the schema."""
    op.drop_index(INDEX, table_name="owner")
    op.create_index(INDEX, "owner", ["telegram_user_id"], unique=False)


def downgrade() -> None:
    """Downgrade the schema: an account keeps its first home, its others are unbound."""
    op.execute(sa.text(
        "UPDATE owner SET telegram_user_id = NULL, chat_id = NULL "
        "WHERE telegram_user_id IS NOT NULL AND id > ("
        "SELECT MIN(o.id) FROM owner o WHERE o.telegram_user_id = owner.telegram_user_id)"))
    op.drop_index(INDEX, table_name="owner")
    op.create_index(INDEX, "owner", ["telegram_user_id"], unique=True)
