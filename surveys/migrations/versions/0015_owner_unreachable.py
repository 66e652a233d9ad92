"""owner.unreachable_since: Telegram refused the owner's chat for good (blocked, deleted)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.add_column("owner", sa.Column("unreachable_since", sa.DateTime(), nullable=True))


def downgrade() -> None:
    """Downgrade the schema."""
    with op.batch_alter_table("owner", schema=None) as batch_op:
        batch_op.drop_column("unreachable_since")
