"""The breakdown of one agent's points: every work order, response, complaint and appeal
behind each figure, so an agent can see exactly why they have the points they have.

Only one agent's records in one period are loaded here; team-wide figures stay in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Row, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.questions import QUESTIONS
from surveys import models

Appeal: Any = models.Appeal
Complaint: Any = models.Complaint
Response: Any = models.Response
Survey: Any = models.Survey
WorkOrder: Any = models.WorkOrder


@dataclass(frozen=True)
class ResponseItem:
    """A response to a survey sent in the period; `counted` when it enters the scores."""

    response_id: int
    survey_id: int
    work_order_id: int
    ratings: dict[str, int | None]
    submitted_at: datetime | None
    counted: bool
    voided: bool


@dataclass(frozen=True)
class ComplaintItem:
    """A complaint opened in the period and how it was handled."""

    complaint_id: int
    work_order_id: int | None
    survey_id: int | None
    source: str
    status: str
    opened_at: datetime
    ack_deadline: datetime
    acknowledged_at: datetime | None
    ack_on_time: bool | None  # None: not acknowledged and the deadline is still ahead
    resolved: bool
    satisfied: bool | None  # None: the follow-up was not answered (yet)
    voided: bool


@dataclass(frozen=True)
class AppealItem:
    """An appeal about one of the period's complaints or responses."""

    appeal_id: int
    complaint_id: int | None
    response_id: int | None
    status: str
    decided_at: datetime | None


@dataclass(frozen=True)
class Sources:
    """The records behind one figure."""

    work_orders: tuple[int, ...] = ()
    responses: tuple[int, ...] = ()
    complaints: tuple[int, ...] = ()
    appeals: tuple[int, ...] = ()


@dataclass(frozen=True)
class Breakdown:
    """Every input of one agent's figures, and which figure each input feeds."""

    work_orders: dict[int, str]  # id -> external id, for every work order referenced
    closed_work_order_ids: list[int]
    sent_survey_ids: list[int]
    responses: list[ResponseItem]
    complaints: list[ComplaintItem]
    appeals: list[AppealItem]
    sources: dict[str, Sources] = field(default_factory=dict)


async def load_breakdown(
    session: AsyncSession, *, agent_id: int, start: datetime, end: datetime, as_of: datetime
) -> Breakdown:
    """Load the records behind one agent's figures in [start, end)."""
    conn = await session.connection()
    closed = await _closed_orders(conn, agent_id, start, end)
    sent = await _sent_surveys(conn, agent_id, start, end)
    complaint_rows = await _opened_complaints(conn, agent_id, start, end)
    work_orders = {r.id: r.external_id for r in closed}
    work_orders.update({r.work_order_id: r.external_id for r in sent})
    responses = _response_items(sent)
    complaints = [_complaint_item(c, as_of) for c in complaint_rows]
    missing = {c.work_order_id for c in complaints if c.work_order_id} - set(work_orders)
    if missing:
        result = await conn.execute(
            select(WorkOrder.id, WorkOrder.external_id).where(WorkOrder.id.in_(missing))
        )
        work_orders.update({r.id: r.external_id for r in result})
    appeals = await _appeals(session, responses, complaints)
    return Breakdown(
        work_orders=work_orders,
        closed_work_order_ids=[r.id for r in closed],
        sent_survey_ids=list(dict.fromkeys(r.survey_id for r in sent)),
        responses=responses,
        complaints=complaints,
        appeals=appeals,
        sources=_sources(closed, sent, responses, complaints, appeals),
    )


async def _closed_orders(conn: AsyncConnection, agent_id: int, start: datetime,
                         end: datetime) -> list[Row[Any]]:
    """Return (id, external id) of the agent's surveyed orders closed in [start, end)."""
    return list(
        await conn.execute(
            select(WorkOrder.id, WorkOrder.external_id)
            .join(Survey, Survey.work_order_id == WorkOrder.id)
            .where(
                Survey.agent_id == agent_id,
                WorkOrder.closed_at >= start,
                WorkOrder.closed_at < end,
            )
            .order_by(WorkOrder.id)
        )
    )


async def _sent_surveys(conn: AsyncConnection, agent_id: int, start: datetime,
                        end: datetime) -> list[Row[Any]]:
    """Return the agent's surveys sent in [start, end), each with its order and response."""
    return list(
        await conn.execute(
            select(
                Survey.id.label("survey_id"),
                WorkOrder.id.label("work_order_id"),
                WorkOrder.external_id,
                *(getattr(Response, q) for q in QUESTIONS),
                Response.id.label("response_id"),
                Response.submitted_at,
                Response.voided,
            )
            .join(WorkOrder, WorkOrder.id == Survey.work_order_id)
            .outerjoin(Response, Response.survey_id == Survey.id)
            .where(Survey.agent_id == agent_id, Survey.sent_at >= start, Survey.sent_at < end)
            .order_by(Survey.id)
        )
    )


async def _opened_complaints(conn: AsyncConnection, agent_id: int, start: datetime,
                             end: datetime) -> list[Row[Any]]:
    """Return the complaints against the agent opened in [start, end)."""
    return list(
        await conn.execute(
            select(Complaint)
            .where(
                Complaint.agent_id == agent_id,
                Complaint.opened_at >= start,
                Complaint.opened_at < end,
            )
            .order_by(Complaint.id)
        )
    )


def _response_items(sent: list[Row[Any]]) -> list[ResponseItem]:
    """Turn the sent surveys that have a response into response items (counted or not)."""
    return [
        ResponseItem(
            response_id=r.response_id,
            survey_id=r.survey_id,
            work_order_id=r.work_order_id,
            ratings={q: getattr(r, q) for q in QUESTIONS},
            submitted_at=r.submitted_at,
            counted=r.submitted_at is not None and not r.voided,
            voided=bool(r.voided),
        )
        for r in sent
        if r.response_id is not None
    ]


def _complaint_item(c: Any, as_of: datetime) -> ComplaintItem:
    acked = c.acknowledged_at
    if acked is not None:
        on_time: bool | None = acked <= c.ack_deadline
    else:
        on_time = False if c.ack_deadline <= as_of else None
    return ComplaintItem(
        complaint_id=c.id,
        work_order_id=c.work_order_id,
        survey_id=c.survey_id,
        source=c.source,
        status=c.status,
        opened_at=c.opened_at,
        ack_deadline=c.ack_deadline,
        acknowledged_at=acked,
        ack_on_time=on_time,
        resolved=c.resolved_at is not None,
        satisfied=c.satisfied,
        voided=bool(c.voided),
    )


async def _appeals(
    session: AsyncSession, responses: list[ResponseItem], complaints: list[ComplaintItem]
) -> list[AppealItem]:
    response_ids = [r.response_id for r in responses]
    complaint_ids = [c.complaint_id for c in complaints]
    if not response_ids and not complaint_ids:
        return []
    conn = await session.connection()
    result = await conn.execute(
        select(Appeal.id, Appeal.complaint_id, Appeal.response_id, Appeal.status,
               Appeal.decided_at)
        .where(or_(Appeal.response_id.in_(response_ids), Appeal.complaint_id.in_(complaint_ids)))
        .order_by(Appeal.id)
    )
    return [
        AppealItem(
            appeal_id=r.id,
            complaint_id=r.complaint_id,
            response_id=r.response_id,
            status=r.status,
            decided_at=r.decided_at,
        )
        for r in result
    ]


def _sources(
    closed: list[Any],
    sent: list[Any],
    responses: list[ResponseItem],
    complaints: list[ComplaintItem],
    appeals: list[AppealItem],
) -> dict[str, Sources]:
    counted = [r for r in responses if r.counted]
    valid = [c for c in complaints if not c.voided]
    closed_ids = tuple(r.id for r in closed)
    # A survey with a voided 回访 and its entry again is one survey sent (two response rows).
    sent_orders = tuple(dict.fromkeys(r.work_order_id for r in sent))
    sources = {
        "closed_orders": Sources(work_orders=closed_ids),
        "surveys_sent": Sources(work_orders=sent_orders),
        "response_rate": Sources(
            work_orders=sent_orders,
            responses=tuple(r.response_id for r in counted),
        ),
        "satisfaction": Sources(
            work_orders=tuple(r.work_order_id for r in counted),
            responses=tuple(r.response_id for r in counted),
        ),
        "complaints": Sources(
            work_orders=closed_ids, complaints=tuple(c.complaint_id for c in valid)
        ),
        "ack_on_time_rate": Sources(
            complaints=tuple(c.complaint_id for c in valid if c.ack_on_time is not None)
        ),
        "resolution_rate": Sources(complaints=tuple(c.complaint_id for c in valid)),
        "follow_up_satisfaction_rate": Sources(
            complaints=tuple(c.complaint_id for c in valid if c.satisfied is not None)
        ),
        "excluded": Sources(
            responses=tuple(r.response_id for r in responses if r.voided),
            complaints=tuple(c.complaint_id for c in complaints if c.voided),
            appeals=tuple(a.appeal_id for a in appeals if a.status == "voided"),
        ),
        "appeals": Sources(appeals=tuple(a.appeal_id for a in appeals)),
    }
    for q in QUESTIONS:
        rated = [r for r in counted if r.ratings.get(q) is not None]
        sources[q] = Sources(
            work_orders=tuple(r.work_order_id for r in rated),
            responses=tuple(r.response_id for r in rated),
        )
    return sources
