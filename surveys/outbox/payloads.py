"""The typed payloads of the outbox kinds other than the survey family, one model per family.

Producers in `surveys/` build these and store `to_json()`; the renderers in `bot/render/` read
them back with `of()` and use attributes. Every field a row written by an earlier version may
lack has a default (targets, complaint-point parts, tag ratings, `by_aspect` came later), and
`/forget` may have set the owner's fields to null, so those are optional. The JSON keys are the
ones rows have always had (docs/complaints.md, docs/corrections.md, docs/points.md).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from surveys.outbox.kinds import OutboxPayload, keys

Mark = Literal["pos", "neg"] | None  # an aspect praised, complained of, or not mentioned
Ratings = dict[str, int | None]


def _no_dict(value: object) -> object:
    # An older row may hold null where today's holds an empty object.
    return {} if value is None else value


def _no_list(value: object) -> object:
    return [] if value is None else value


NullDict = BeforeValidator(_no_dict)
NullList = BeforeValidator(_no_list)


class _Part(BaseModel):
    """A nested part of a payload: read leniently, never changed."""

    model_config = ConfigDict(extra="ignore", frozen=True)


# --- text (kind "text") ---------------------------------------------------------------------

class TextButton(_Part):
    text: str
    callback_data: str | None = None
    url: str | None = None


class TextPayload(OutboxPayload):
    """A ready-worded message with optional buttons (or an edit of `edit_message_id`)."""

    text: str = ""
    buttons: Annotated[list[list[TextButton]], NullList] = []
    edit_message_id: int | None = None
    survey_id: int | None = None  # the edit is of this survey's card (it follows a fresh one)


# --- complaints (complaint_* kinds, manager_alert) ------------------------------------------

class ComplaintEvidence(_Part):
    """What opened a complaint: its words (per aspect since `by_aspect`), its low ratings."""

    model_config = ConfigDict(extra="allow", frozen=True)  # keep e.g. "polarity" as stored

    words: list[str] = []
    ratings: Ratings = {}
    by_aspect: dict[str, list[str]] | None = None


class ComplaintNews(OutboxPayload):
    """What one complaint message adds to the complaint (each kind its own; docs/complaints.md)."""

    ratings: Ratings = {}  # complaint_opened, manager_alert: all answered questions
    reasons: list[str] = []  # manager_alert: rating_1, urgent, no_agent, agent_unreachable
    message_id: int | None = None  # the relays
    reply_text: str | None = None  # the relays
    satisfied: bool | None = None  # complaint_closed
    overdue_hours: float | None = None  # complaint_overdue, complaint_resolve_overdue
    round: int | None = None  # complaint_follow_up: asked again after this many escalations
    # complaint_escalated, complaint_overdue, complaint_resolve_overdue: who reads it
    audience: Literal["manager", "agent"] | None = None
    closed: bool | None = None  # complaint_escalated: closed unsatisfied at the limit


class ComplaintPayload(ComplaintNews):
    """A complaint as staff and owner messages show it (never a phone number)."""

    # Owner messages: the complaint's home, when the owner's account holds several.
    home: str | None = None

    complaint_id: int | None = Field(None, validation_alias=keys("complaint_id", "id"))
    source: str | None = None
    status: str | None = None
    text: str | None = None
    tags: Annotated[list[str], NullList] = []
    evidence: Annotated[ComplaintEvidence, NullDict] = ComplaintEvidence()
    urgent: bool = False
    voided: bool = False  # a complaint view's (the /complaints list), not stored in rows
    acknowledged_at: datetime | None = None  # likewise
    opened_at: datetime | None = None
    ack_deadline: datetime | None = None
    resolve_deadline: datetime | None = None  # set once escalated
    escalations: int = 0
    work_order_external_id: str | None = None
    work_order_title: str | None = None
    work_order_category: str | None = None  # its code (scoring.categories)
    work_order_occurrence: int = 1  # above 1: the order repeats a problem of the unit
    owner_name: str | None = None
    owner_unit: str | None = None
    agent_id: int | None = None
    agent_name: str | None = None

    @property
    def low_ratings(self) -> Ratings:
        """The low ratings that opened the complaint (its evidence), else those it carries."""
        return self.evidence.ratings or self.ratings

    def low_rating(self, tag: str) -> int | None:
        """The low rating of this aspect that opened the complaint, if any."""
        return self.low_ratings.get(tag)

    def words_of(self, tag: str) -> list[str]:
        """The owner's words that decided this aspect (none before `by_aspect` existed)."""
        return (self.evidence.by_aspect or {}).get(tag, [])


# --- appeals (appeal_filed, appeal_decided) -------------------------------------------------

class AppealPayload(OutboxPayload):
    """An agent's appeal of a complaint or a rating, and its decision."""

    appeal_id: int | None = None
    status: str | None = None
    reason: str | None = None
    decision_reason: str | None = None
    agent_id: int | None = None
    agent_name: str | None = None
    complaint_id: int | None = None
    complaint_text: str | None = None
    complaint_tags: list[str] | None = None
    response_id: int | None = None
    ratings: Annotated[Ratings, NullDict] = {}
    comment: str | None = None


# --- tag corrections (tag_correction_* kinds) -----------------------------------------------

class CorrectionBefore(_Part):
    """A complaint's verdict, tags and status before the correction."""

    aspects: dict[str, Mark] = {}
    not_complaint: bool = False
    tags: list[str] = []
    status: str | None = None


class CorrectionPayload(ComplaintPayload):
    """A complaint with a tag correction proposed, decided or applied."""

    correction_id: int | None = None
    correction_status: str | None = None
    proposer_name: str | None = None
    proposed_by_role: str | None = None
    aspects: Annotated[dict[str, Mark], NullDict] = {}
    not_complaint: bool = False
    before: Annotated[CorrectionBefore, NullDict] = CorrectionBefore()
    decider: str | None = None


# --- weekly summary and team digest ---------------------------------------------------------

class Dimension(_Part):
    n: int = 0
    score: float | None = None
    adjusted: float | None = None
    change: float | None = None


class TopTag(_Part):
    """A complaint topic of the week: how often, its own words, its low ratings."""

    tag: str
    count: int
    words: list[str] = []
    ratings: list[int | None] = []  # absent from summaries queued before tag ratings


class TargetFigure(_Part):
    code: str
    value: float | None = None
    target: float


class RevisitFigure(_Part):
    """回访率 counts (scoring.revisits.RevisitRate): orders closed, answered by any channel."""

    closed: int = 0
    answered: int = 0
    complaint_closed: int = 0
    complaint_answered: int = 0


class RankRow(_Part):
    """One agent's line of a team table (digest and the close)."""

    agent_id: int | None = None
    name: str | None = None
    rank: int | None = None
    total: float | None = None
    grade: str | None = None
    responses: int | None = None
    complaints: int | None = None
    change: float | None = None
    revisit: RevisitFigure | None = None  # the digest's; absent before 回访率 was added


class WeeklySummaryPayload(OutboxPayload):
    """An agent's last week (figures unrounded)."""

    agent_id: int | None = None
    agent_name: str | None = None
    week: str
    first_day: date
    last_day: date
    surveys_sent: int = 0
    responses: int = 0
    response_rate: float | None = None
    dimensions: dict[str, Dimension] = {}
    complaints: int = 0
    ack_on_time_rate: float | None = None
    resolution_rate: float | None = None
    follow_up_satisfaction_rate: float | None = None
    handling: float | None = None
    handling_quality: float | None = None  # absent from summaries queued before points v2
    frequency_penalty: float | None = None
    satisfaction: float | None = None
    total: float | None = None
    grade: str | None = None
    rank: int | None = None
    team_size: int | None = None
    change: float | None = None
    top_tags: Annotated[list[TopTag], NullList] = []
    targets: Annotated[list[TargetFigure], NullList] = []
    team_targets: Annotated[list[TargetFigure], NullList] = []
    revisit: RevisitFigure | None = None  # absent from summaries queued before 回访率


class TeamDigestPayload(OutboxPayload):
    """A manager's Monday digest of their scope."""

    week: str
    first_day: date
    last_day: date
    community: str | None = None
    rows: Annotated[list[RankRow], NullList] = []
    surveys_sent: int = 0
    responses: int = 0
    complaints: int = 0
    open_complaints: int = 0
    overdue_complaints: int = 0
    team_targets: Annotated[list[TargetFigure], NullList] = []
    revisit_communities: Annotated[dict[str, RevisitFigure], NullDict] = {}  # by name


# --- the monthly close (period_closed, period_closed_team) ----------------------------------

class PeriodClosedPayload(OutboxPayload):
    """An agent's final figures of a closed period."""

    label: str
    name: str | None = None
    total: float | None = None
    grade: str | None = None
    rank: int | None = None
    team_size: int | None = None
    previous: float | None = None
    change: float | None = None
    adjustment: float | None = None


class PeriodClosedTeamPayload(OutboxPayload):
    """A manager's final team table of a closed period."""

    label: str
    community: str | None = None
    rows: Annotated[list[RankRow], NullList] = []
