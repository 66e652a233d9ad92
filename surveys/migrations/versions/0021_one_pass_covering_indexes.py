"""covering indexes for the open month's report: one pass over its orders, survey sums

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 04:00:00

The order index of the response and resolution times grows into the one pass over a period's
closed orders (kind, building, agent, occurrence added); the responses' scoring index gains
the channel, and the surveys sent in a period get their credited agent beside the time, so
the points' survey sums read no survey or response row (bench/report_month.py).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUESTIONS = ["overall", "attitude", "clarity", "timeliness"]  # scoring.questions at 0021
TIMELINESS = ["id", "closed_at", "opened_at", "first_action_at", "category", "urgency",
              "community_id"]
SCORING = ["voided", "survey_id", "submitted_at", *QUESTIONS]


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_index("ix_work_order_month_pass", "work_order",
                    [*TIMELINESS, "kind", "building", "agent_id", "occurrence"], unique=False)
    op.drop_index("ix_work_order_timeliness", table_name="work_order")
    op.create_index("ix_response_counted", "response", [*SCORING, "channel"], unique=False)
    op.drop_index("ix_response_scoring", table_name="response")
    op.create_index("ix_survey_sent_agent", "survey", ["sent_at", "agent_id"], unique=False)


def downgrade() -> None:
    """Downgrade the schema."""
    op.drop_index("ix_survey_sent_agent", table_name="survey")
    op.create_index("ix_response_scoring", "response", SCORING, unique=False)
    op.drop_index("ix_response_counted", table_name="response")
    op.create_index("ix_work_order_timeliness", "work_order", TIMELINESS, unique=False)
    op.drop_index("ix_work_order_month_pass", table_name="work_order")
