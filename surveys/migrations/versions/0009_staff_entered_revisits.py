"""staff-entered 回访: the revisitor role, and who entered a phone or visit response

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 07:45:49.871531
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "revisitor",
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("bound_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("revisitor", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_revisitor_telegram_user_id"), ["telegram_user_id"], unique=True
        )

    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entered_by_role", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("entered_by_id", sa.Integer(), nullable=True))

    with op.batch_alter_table("revisitor", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_revisitor_community_id_community", "community", ["community_id"], ["id"]
        )



def downgrade() -> None:
    """Downgrade the schema."""
    with op.batch_alter_table("revisitor", schema=None) as batch_op:
        batch_op.drop_constraint("fk_revisitor_community_id_community", type_="foreignkey")

    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("entered_by_id")
        batch_op.drop_column("entered_by_role")

    with op.batch_alter_table("revisitor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revisitor_telegram_user_id"))

    op.drop_table("revisitor")
