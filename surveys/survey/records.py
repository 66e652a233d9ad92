"""How a response row is written: answers, submission through a channel, a staff entry.

The services that answer a survey (chat `answers`, the web page `by_link`, a staff 回访
`revisits`) write the row through these, and so does the generated month the report's
counts are tested on (tests/fixtures/month_data.py): the records a test counts are built as
the services build them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from surveys.models import Response, ResponseChannel


def fill(response: Response, ratings: Mapping[str, int | None], *, at: datetime,
         comment: str | None = None, with_comment: bool = False) -> Response:
    """Write ratings (and, with `with_comment`, the comment) onto a response."""
    for question, rating in ratings.items():
        setattr(response, question, rating)
    if with_comment:
        response.comment = comment
    response.updated_at = at
    return response


def mark_submitted(response: Response, *, channel: ResponseChannel, at: datetime) -> Response:
    """Mark a complete response submitted through a channel at a time."""
    response.submitted_at = at
    response.updated_at = at
    response.channel = channel
    return response


def mark_entered_by(response: Response, *, role: str, entered_by_id: int) -> Response:
    """Record who entered a staff 回访 (phone, visit) on its response."""
    response.entered_by_role = role
    response.entered_by_id = entered_by_id
    return response
