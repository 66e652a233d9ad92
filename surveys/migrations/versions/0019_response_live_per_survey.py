"""one live response per survey: a 回访 voided on appeal may be entered again

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 00:00:00

The unique constraint on response.survey_id becomes a partial unique index over the rows
not voided, so the voided entry stays (with its appeal) beside the new one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite's constraint has no name: reflected under this convention, batch mode can drop it.
SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
PG_UNIQUE = "response_survey_id_key"  # PostgreSQL's name for the unnamed UNIQUE (survey_id)
SQLITE_LIVE, PG_LIVE = sa.text("voided = 0"), sa.text("NOT voided")


def upgrade() -> None:
    """Upgrade the schema."""
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("response", naming_convention=SQLITE_NAMES) as batch_op:
            batch_op.drop_constraint("uq_response_survey_id", type_="unique")
    else:
        op.drop_constraint(PG_UNIQUE, "response", type_="unique")
    op.create_index("ix_response_survey_id", "response", ["survey_id"], unique=False)
    op.create_index("ux_response_live_survey", "response", ["survey_id"], unique=True,
                    sqlite_where=SQLITE_LIVE, postgresql_where=PG_LIVE)


def downgrade() -> None:
    """Downgrade the schema (fails while a survey has a voided response beside a live one)."""
    op.drop_index("ux_response_live_survey", table_name="response")
    op.drop_index("ix_response_survey_id", table_name="response")
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("response", naming_convention=SQLITE_NAMES) as batch_op:
            batch_op.create_unique_constraint("uq_response_survey_id", ["survey_id"])
    else:
        op.create_unique_constraint(PG_UNIQUE, "response", ["survey_id"])
