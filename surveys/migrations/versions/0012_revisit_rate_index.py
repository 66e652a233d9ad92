"""回访率: a covering index of the orders closed in a period by community and kind

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 08:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_index("ix_work_order_closed_scope", "work_order",
                    ["closed_at", "community_id", "kind"], unique=False)


def downgrade() -> None:
    """Downgrade the schema."""
    op.drop_index("ix_work_order_closed_scope", table_name="work_order")
