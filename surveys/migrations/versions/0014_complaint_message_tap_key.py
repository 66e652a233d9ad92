"""complaint_message.tap_key: a reply template tapped twice on one prompt is sent once

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 11:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.add_column("complaint_message",
                  sa.Column("tap_key", sa.String(length=80), nullable=True))
    op.create_index("ux_complaint_message_tap", "complaint_message",
                    ["complaint_id", "tap_key"], unique=True)


def downgrade() -> None:
    """Downgrade the schema."""
    op.drop_index("ux_complaint_message_tap", table_name="complaint_message")
    with op.batch_alter_table("complaint_message", schema=None) as batch_op:
        batch_op.drop_column("tap_key")
