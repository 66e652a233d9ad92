"""Read models of tag corrections, and the corrected comments that become training data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import col, select

from surveys.complaints.verdicts import ASPECTS, AspectValue, Verdict
from surveys.complaints.views import ComplaintView
from surveys.core.db import SessionFactory
from surveys.models import Complaint, CorrectionStatus, TagCorrection


class Outcome(StrEnum):
    UNCHANGED = "unchanged"  # the complaint already carries these tags
    PENDING = "pending"  # waiting for a manager
    APPLIED = "applied"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"  # the complaint no longer counts (voided meanwhile)


@dataclass(frozen=True)
class Corrector:
    """Who corrects: the credited agent or a manager overseeing them."""

    role: str
    agent_id: int | None
    manager_id: int | None
    name: str


@dataclass(frozen=True)
class CorrectionView:
    id: int
    complaint_id: int
    status: str
    proposed_by_role: str
    proposer_name: str
    aspects: dict[str, AspectValue]
    not_complaint: bool
    before: dict[str, Any]
    proposed_at: datetime
    decided_at: datetime | None


@dataclass(frozen=True)
class CorrectionForm:
    """What the tag editor of one complaint shows to one person."""

    complaint_id: int
    text: str | None
    tags: tuple[str, ...]
    rated: tuple[str, ...]  # questions whose low rating is a tag of its own
    current: Verdict
    may_dismiss: bool
    needs_confirmation: bool  # the person is the credited agent
    pending: CorrectionView | None


@dataclass(frozen=True)
class CorrectionResult:
    outcome: Outcome
    changed: bool
    correction: CorrectionView | None
    complaint: ComplaintView


def correction_view(row: TagCorrection, proposer_name: str) -> CorrectionView:
    """Build the read model of a correction row."""
    return CorrectionView(
        id=row.id or 0, complaint_id=row.complaint_id, status=row.status,
        proposed_by_role=row.proposed_by_role, proposer_name=proposer_name,
        aspects={a: row.aspects.get(a) for a in ASPECTS}, not_complaint=row.not_complaint,
        before=dict(row.before or {}), proposed_at=row.proposed_at, decided_at=row.decided_at,
    )


@dataclass(frozen=True)
class CorrectedComment:
    """An owner's words with the aspects people settled on: one training example."""

    correction_id: int
    text: str
    aspects: dict[str, AspectValue]
    complaint: bool


async def training_examples(*, db: SessionFactory) -> list[CorrectedComment]:
    """Return each complaint's latest applied correction with its words (erased words drop)."""
    stmt = (
        select(TagCorrection, Complaint.text)
        .join(Complaint, col(Complaint.id) == col(TagCorrection.complaint_id))
        .where(TagCorrection.status == CorrectionStatus.APPLIED)
        .order_by(col(TagCorrection.id))
    )
    latest: dict[int, CorrectedComment] = {}
    async with db() as s:
        for row, text in (await s.exec(stmt)).all():
            if text and text.strip() and row.id is not None:
                latest[row.complaint_id] = CorrectedComment(
                    correction_id=row.id, text=text,
                    aspects={a: row.aspects.get(a) for a in ASPECTS},
                    complaint=not row.not_complaint,
                )
            else:
                latest.pop(row.complaint_id, None)
    return sorted(latest.values(), key=lambda c: c.correction_id)
