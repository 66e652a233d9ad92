"""escalation and timeliness: complaint resolve deadline and escalations, order first action

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    with op.batch_alter_table("complaint") as batch:
        batch.add_column(sa.Column("resolve_deadline", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("resolve_overdue_alerted_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("escalations", sa.Integer(), server_default="0",
                                   nullable=False))
        batch.add_column(sa.Column("escalated_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("work_order") as batch:
        batch.add_column(sa.Column("first_action_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    """Downgrade the schema."""
    with op.batch_alter_table("work_order") as batch:
        batch.drop_column("first_action_at")
    with op.batch_alter_table("complaint") as batch:
        batch.drop_column("escalated_at")
        batch.drop_column("escalations")
        batch.drop_column("resolve_overdue_alerted_at")
        batch.drop_column("resolve_deadline")
