"""work order category, unit and repeat problem

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    with op.batch_alter_table("work_order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("category", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("building", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("room", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("occurrence", sa.Integer(), server_default="1", nullable=False))
    if op.get_bind().dialect.name == "sqlite":
        # Not a batch: that copies work_order and drops the old table, which the surveys
        # referencing its rows refuse. A nullable column with an inline reference is allowed.
        op.execute(
            "ALTER TABLE work_order ADD COLUMN repeat_of_id INTEGER REFERENCES work_order (id)")
    else:
        op.add_column("work_order", sa.Column("repeat_of_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_work_order_repeat_of_id_work_order", "work_order",
                              "work_order", ["repeat_of_id"], ["id"])
    op.create_index("ix_work_order_unit_category", "work_order",
                    ["community_id", "building", "room", "category", "closed_at"], unique=False)
    # Orders closed before: their owner's unit now (the best there is).
    op.execute(
        "UPDATE work_order SET building = (SELECT owner.building FROM owner "
        "WHERE owner.id = work_order.owner_id), room = (SELECT owner.room FROM owner "
        "WHERE owner.id = work_order.owner_id)"
    )


def downgrade() -> None:
    """Downgrade the schema."""
    op.drop_index("ix_work_order_unit_category", table_name="work_order")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_work_order_repeat_of_id_work_order", "work_order",
                           type_="foreignkey")
    # SQLite drops a column with an inline reference only by copying the table.
    with op.batch_alter_table("work_order", schema=None) as batch_op:
        batch_op.drop_column("occurrence")
        batch_op.drop_column("repeat_of_id")
        batch_op.drop_column("room")
        batch_op.drop_column("building")
        batch_op.drop_column("category")
