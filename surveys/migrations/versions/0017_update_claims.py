"""processed_update.claim and lease_until: an update is claimed before it is handled

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 23:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    # Rows already there were written after handling: NULL lease_until reads as handled.
    op.add_column("processed_update", sa.Column("claim", sa.String(length=32), nullable=True))
    op.add_column("processed_update", sa.Column("lease_until", sa.DateTime(), nullable=True))


def downgrade() -> None:
    """Downgrade the schema."""
    with op.batch_alter_table("processed_update", schema=None) as batch_op:
        batch_op.drop_column("lease_until")
        batch_op.drop_column("claim")
