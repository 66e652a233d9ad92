"""tag corrections

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 04:50:49.570699
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("status IN ('pending', 'applied')")


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "tag_correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=False),
        sa.Column("proposed_by_role", sa.String(length=16), nullable=False),
        sa.Column("proposed_by_agent_id", sa.Integer(), nullable=True),
        sa.Column("proposed_by_manager_id", sa.Integer(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(), nullable=False),
        sa.Column("aspects", sa.JSON(), nullable=False),
        sa.Column("not_complaint", sa.Boolean(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by_manager_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaint.id"]),
        sa.ForeignKeyConstraint(["proposed_by_agent_id"], ["agent.id"]),
        sa.ForeignKeyConstraint(["proposed_by_manager_id"], ["manager.id"]),
        sa.ForeignKeyConstraint(["decided_by_manager_id"], ["manager.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("tag_correction", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tag_correction_complaint_id"), ["complaint_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tag_correction_proposed_at"), ["proposed_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tag_correction_status"), ["status"], unique=False)
        # One live (pending or applied) correction per complaint and parent state.
        batch_op.create_index(
            "ux_tag_correction_live", ["complaint_id", "parent_id"], unique=True,
            sqlite_where=LIVE, postgresql_where=LIVE,
        )


def downgrade() -> None:
    """Downgrade the schema."""
    with op.batch_alter_table("tag_correction", schema=None) as batch_op:
        batch_op.drop_index("ux_tag_correction_live", sqlite_where=LIVE, postgresql_where=LIVE)
        batch_op.drop_index(batch_op.f("ix_tag_correction_status"))
        batch_op.drop_index(batch_op.f("ix_tag_correction_proposed_at"))
        batch_op.drop_index(batch_op.f("ix_tag_correction_complaint_id"))
    op.drop_table("tag_correction")
