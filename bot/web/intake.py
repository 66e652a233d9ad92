"""The survey link in the intake API's answer, so the property system can text it.

The link is added to every answer about a closed order (first close, re-close, idempotent
replay) and never stored with the replayable answer: only its hash lives in the database.
"""

from __future__ import annotations

from typing import Any

from bot.config import Settings
from bot.web import settings_link_key
from surveys.core.db import SessionFactory
from surveys.survey.links import ensure_link

LINK_FIELD = "web_link"


async def with_web_link(*, db: SessionFactory, settings: Settings,
                        answer: dict[str, Any]) -> dict[str, Any]:
    """Return the answer with `web_link` ({url, expires_at} or null) and the survey's status."""
    survey_id = answer.get("survey_id")
    if not isinstance(survey_id, int) or not settings.web.enabled:
        return {**answer, LINK_FIELD: None} if isinstance(survey_id, int) else answer
    link = await ensure_link(db=db, key=settings_link_key(settings), survey_id=survey_id,
                             config=settings.web, survey_config=settings.survey)
    if link is None:
        return {**answer, LINK_FIELD: None}
    return {**answer, "survey_status": link.survey_status, LINK_FIELD: {
        "url": link.url, "expires_at": link.expires_at.isoformat() + "Z"}}


def without_web_link(answer: dict[str, Any]) -> dict[str, Any]:
    """Return the answer as it may be stored (no link token)."""
    return {k: v for k, v in answer.items() if k != LINK_FIELD}
