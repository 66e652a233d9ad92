"""A new survey's outbox message: its payload, queued once the fatigue cap and quiet hours
have had their say (`surveys.intake.fatigue`)."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.core.config import SurveyConfig
from surveys.core.courtesy import CourtesyConfig, QuietHours
from surveys.core.expiry import expire_after_seconds
from surveys.intake.fatigue import plan_survey
from surveys.models import Agent, Community, Owner, Survey, SurveyStatus, WorkOrder
from surveys.outbox.kinds import OutboxKind, SurveyPayload
from surveys.outbox.store import enqueue


def survey_payload(
    *, survey: Survey, order: WorkOrder, agent: Agent | None, community: Community | None,
    survey_config: SurveyConfig, quiet: QuietHours | None = None,
) -> SurveyPayload:
    """Build the outbox payload the chat side renders a survey message from."""
    assert survey.id is not None
    return payload_of(survey_id=survey.id, language=survey.language,
                      order=order.model_dump(include={"external_id", "title", "kind", "urgency"}),
                      agent_name=agent.name if agent else None,
                      community_name=community.name if community else None,
                      survey_config=survey_config, quiet=quiet)


def payload_of(*, survey_id: int, language: str | None, order: dict[str, Any],
               agent_name: str | None, community_name: str | None,
               survey_config: SurveyConfig, quiet: QuietHours | None = None
               ) -> SurveyPayload:
    """Build a survey's outbox payload from plain values (`order`: a work order's row)."""
    courtesy: dict[str, Any] = {"quiet_hours": quiet.text, "timezone": quiet.timezone} if (
        quiet) else {}
    return SurveyPayload(
        survey_id=survey_id,
        work_order_external_id=order["external_id"],
        work_order_title=order["title"],
        work_order_kind=order["kind"],
        urgency=order["urgency"],
        agent_name=agent_name,
        community_name=community_name,
        locale=language,
        expire_after_seconds=expire_after_seconds(survey_config),
        **courtesy,
    )


async def enqueue_survey(
    s: AsyncSession, *, survey: Survey, order: WorkOrder, owner: Owner, agent: Agent,
    community: Community, survey_config: SurveyConfig, courtesy: CourtesyConfig | None = None,
) -> None:
    """Queue a pending survey's message in the outbox (skipped or folded ones are not sent)."""
    plan = await plan_survey(s, survey=survey, owner=owner, community=community, order=order,
                             agent_name=agent.name, courtesy=courtesy)
    if survey.status != SurveyStatus.PENDING:
        return
    await enqueue(
        s, kind=OutboxKind.SURVEY, dedupe_key=f"survey:{survey.id}",
        chat_id=owner.chat_id,  # type: ignore[arg-type]
        survey_id=survey.id, not_before=plan.not_before,
        payload=survey_payload(survey=survey, order=order, agent=agent, community=community,
                               survey_config=survey_config, quiet=plan.quiet),
    )
