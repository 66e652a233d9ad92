"""owner_text.telegram_user_id and owner.moved_at: words stay with the account that wrote them

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 09:30:00

A home (owner row) can move to another Telegram account by an invite while an owner's words
wait for their answer. The words now record the account that wrote them, and the home when
it last moved, so the earlier account can still decide its words and the new one never sees
them. Texts stored before this revision were written by the account holding their home now
(the best knowledge there is); a text of a home no account holds keeps NULL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | Sequence[str] | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_owner_text_telegram_user_id"


def upgrade() -> None:
    """Upgrade the schema."""
    op.add_column("owner_text", sa.Column("telegram_user_id", sa.BigInteger(), nullable=True))
    op.execute(sa.text(
        "UPDATE owner_text SET telegram_user_id = ("
        "SELECT owner.telegram_user_id FROM owner WHERE owner.id = owner_text.owner_id)"))
    op.create_index(INDEX, "owner_text", ["telegram_user_id"], unique=False)
    op.add_column("owner", sa.Column("moved_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    """Downgrade the schema."""
    # A plain DROP COLUMN (SQLite 3.35+), not a batch copy: rebuilding `owner` would drop a
    # table other rows point at, which SQLite's foreign keys refuse once it holds data.
    op.drop_column("owner", "moved_at")
    op.drop_index(INDEX, table_name="owner_text")
    op.drop_column("owner_text", "telegram_user_id")
