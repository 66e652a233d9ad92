"""Complaints: opened from low ratings, complaint comments or directly; handled to closure.

(Stub: the complaints work fills this in; the survey flow already calls it.)
"""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.config import ComplaintConfig, SurveyConfig
from surveys.models import Complaint, Response, Survey


async def open_from_response(
    session: AsyncSession,
    *,
    survey: Survey,
    response: Response,
    survey_config: SurveyConfig,
    complaint_config: ComplaintConfig,
) -> list[Complaint]:
    """Open complaints a submitted response calls for, inside the caller's transaction."""
    return []
