"""What a report file shows: the raw rows it lists, and the shapes of the figures it reads.

The assessment service (`surveys.assessment.exports`) builds the rows and the reports; the XLSX
and PNG builders here read them through these shapes, so scoring never imports the domain.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from scoring.periods import Period
from scoring.points.model import AgentPoints
from scoring.revisits import RevisitRates
from scoring.timeliness import TimelinessReport


@dataclass(frozen=True)
class ResponseRow:
    """One submitted response of the period, the owner's phone masked."""

    response_id: int
    work_order: str
    agent: str
    owner: str
    phone: str  # masked
    ratings: dict[str, int | None]
    comment: str | None
    sent_at: datetime | None
    submitted_at: datetime | None
    voided: bool
    channel: str = "chat"  # chat, web; or staff-entered 回访: phone, visit
    counted: bool = True  # in the period's figures (a closed period: in its snapshot)
    after_close: bool = False  # submitted after the period was closed: a later adjustment


# The channels' names in report files (msgids; the bot's catalog translates them).
CHANNEL_NAMES = {"chat": "Telegram", "web": "web page", "phone": "phone 回访",
                 "visit": "visit 回访"}


@dataclass(frozen=True)
class ComplaintRow:
    """One complaint opened in the period, the owner's phone masked."""

    complaint_id: int
    work_order: str | None
    agent: str | None
    owner: str
    phone: str  # masked
    source: str
    status: str
    text: str | None
    tags: list[str]
    urgent: bool
    opened_at: datetime
    ack_deadline: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    satisfied: bool | None
    voided: bool


class Scope(Protocol):
    """The community a report covers."""

    @property
    def name(self) -> str: ...


class TeamTable(Protocol):
    """Every agent's points in the period, best first."""

    @property
    def period(self) -> Period: ...

    @property
    def community(self) -> Scope | None: ...

    @property
    def rows(self) -> Sequence[AgentPoints]: ...

    @property
    def timeliness(self) -> TimelinessReport | None: ...

    @property
    def revisits(self) -> RevisitRates | None: ...

    @property
    def channels(self) -> Mapping[str, int]: ...


class Adjustment(Protocol):
    """A late correction of a closed period carried into this one's total."""

    @property
    def source_label(self) -> str: ...

    @property
    def delta(self) -> float: ...


class AgentSheet(Protocol):
    """One agent's points, the change since the previous period, the adjustments carried."""

    @property
    def points(self) -> AgentPoints: ...

    @property
    def previous(self) -> AgentPoints | None: ...

    @property
    def change(self) -> float | None: ...

    @property
    def adjustments(self) -> Sequence[Adjustment]: ...


class Export(Protocol):
    """Everything one report file shows."""

    @property
    def team(self) -> TeamTable: ...

    @property
    def agents(self) -> Sequence[AgentSheet]: ...

    @property
    def responses(self) -> Sequence[ResponseRow]: ...

    @property
    def complaints(self) -> Sequence[ComplaintRow]: ...

    @property
    def trend(self) -> Sequence[tuple[str, float | None]]: ...
