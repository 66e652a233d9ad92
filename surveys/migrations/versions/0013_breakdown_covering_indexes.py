"""covering indexes for the report's views by category and building

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 09:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    with op.batch_alter_table("work_order", schema=None) as batch_op:
        batch_op.create_index(
            "ix_work_order_period_groups",
            ["closed_at", "category", "building", "agent_id", "occurrence"], unique=False)
        batch_op.create_index("ix_work_order_groups", ["id", "category", "building"],
                              unique=False)
    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.create_index("ix_survey_sent_work_order", ["sent_at", "work_order_id"],
                              unique=False)


def downgrade() -> None:
    """Downgrade the schema."""
    with op.batch_alter_table("survey", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_sent_work_order")
    with op.batch_alter_table("work_order", schema=None) as batch_op:
        batch_op.drop_index("ix_work_order_groups")
        batch_op.drop_index("ix_work_order_period_groups")
