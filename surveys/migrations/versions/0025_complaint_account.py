"""complaint.telegram_user_id: a complaint's messages go to the account that filed it

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 10:40:00

When an invite moves a home to another Telegram account, the agent's replies and the
"satisfied?" question about a complaint filed before the move go to the account that filed
it (while it is still bound to the owner's phone), never to the new holder. Complaints stored
before this revision were filed by the account holding their home now, the best knowledge
there is, except those opened before their home last moved (owner.moved_at, 0024): the
holder now is not their filer, so they keep NULL and stay unreachable through the bot.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | Sequence[str] | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_complaint_telegram_user_id"


def upgrade() -> None:
    """Upgrade the schema."""
    op.add_column("complaint", sa.Column("telegram_user_id", sa.BigInteger(), nullable=True))
    op.execute(sa.text(
        "UPDATE complaint SET telegram_user_id = ("
        "SELECT owner.telegram_user_id FROM owner WHERE owner.id = complaint.owner_id "
        "AND (owner.moved_at IS NULL OR complaint.opened_at >= owner.moved_at))"))
    op.create_index(INDEX, "complaint", ["telegram_user_id"], unique=False)


def downgrade() -> None:
    """Downgrade the schema."""
    op.drop_index(INDEX, table_name="complaint")
    op.drop_column("complaint", "telegram_user_id")  # plain DROP COLUMN, as 0024 explains
