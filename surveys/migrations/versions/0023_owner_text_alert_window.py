"""owner_text.alert_id: the kept text whose alert to managers covers this one

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 06:30:00

Past an owner's daily limit, the first kept text alerts the managers at once and opens a
24-hour window; later kept texts in it point at that first text and are told to managers in
one summary when the window ends. Texts kept before this revision were each alerted at once:
each is its own window.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | Sequence[str] | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.add_column("owner_text", sa.Column("alert_id", sa.Integer(), nullable=True))
    op.execute(sa.text("UPDATE owner_text SET alert_id = id WHERE status = 'kept'"))


def downgrade() -> None:
    """Downgrade the schema."""
    with op.batch_alter_table("owner_text", schema=None) as batch_op:
        batch_op.drop_column("alert_id")
