"""Read models of tag corrections, and the comments that become training data: the corrected
ones and the complaints people let stand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import col, select

from surveys.complaints.verdicts import ASPECTS, AspectValue, Verdict
from surveys.complaints.views import ComplaintView
from surveys.core.db import SessionFactory
from surveys.models import (
    Complaint,
    ComplaintSource,
    CorrectionStatus,
    Response,
    TagCorrection,
)

CONFIRMED_LIMIT = 5000


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
class LabelledComment:
    """An owner's words with the aspects people settled on: one training example."""

    complaint_id: int
    text: str
    aspects: dict[str, AspectValue]
    complaint: bool


async def training_examples(*, db: SessionFactory) -> list[LabelledComment]:
    """Return each complaint's latest applied correction with its words (erased words drop)."""
    stmt = (
        select(TagCorrection, Complaint.text)
        .join(Complaint, col(Complaint.id) == col(TagCorrection.complaint_id))
        .where(TagCorrection.status == CorrectionStatus.APPLIED)
        .order_by(col(TagCorrection.id))
    )
    latest: dict[int, LabelledComment] = {}
    async with db() as s:
        for row, text in (await s.exec(stmt)).all():
            if text and text.strip():
                latest[row.complaint_id] = LabelledComment(
                    complaint_id=row.complaint_id, text=text,
                    aspects={a: row.aspects.get(a) for a in ASPECTS},
                    complaint=not row.not_complaint,
                )
            else:
                latest.pop(row.complaint_id, None)
    return list(latest.values())


def _stood(complaint: Complaint, response: Response | None) -> LabelledComment | None:
    """The classifier's verdict on a complaint nobody corrected, if the words opened it."""
    if not complaint.text or not complaint.text.strip() or complaint.id is None:
        return None
    evidence = complaint.evidence or {}
    if complaint.source == ComplaintSource.COMMENT and response is not None:
        found = (response.classification or {}).get("aspects")
        aspects = found if isinstance(found, dict) else {}
    elif (complaint.source == ComplaintSource.DIRECT
          and evidence.get("polarity") in ("negative", "mixed")):
        aspects = dict.fromkeys(evidence.get("by_aspect") or {}, "neg")
    else:
        return None  # a low rating opened it, or the classifier did not call it a complaint
    return LabelledComment(
        complaint_id=complaint.id, text=complaint.text,
        aspects={a: aspects.get(a) if aspects.get(a) in ("pos", "neg") else None
                 for a in ASPECTS},
        complaint=True,
    )


async def confirmed_examples(*, db: SessionFactory, seen_before: datetime,
                             limit: int = CONFIRMED_LIMIT) -> list[LabelledComment]:
    """Return complaints the classifier opened from words and people let stand, newest first.

    Stood: opened before `seen_before` (time to correct it), not corrected (a rejected
    correction confirms the verdict), not voided.
    Learning needs them beside the corrections, which are all mistakes.
    """
    # A rejected correction leaves the verdict standing: a manager confirmed it.
    touched = select(TagCorrection.complaint_id).where(
        col(TagCorrection.status).in_([CorrectionStatus.PENDING, CorrectionStatus.APPLIED]))
    stmt = (
        select(Complaint, Response)
        .outerjoin(Response, col(Response.survey_id) == col(Complaint.survey_id))
        .where(col(Complaint.source).in_([ComplaintSource.COMMENT, ComplaintSource.DIRECT]),
               col(Complaint.voided).is_(False), col(Complaint.opened_at) < seen_before,
               col(Complaint.id).not_in(touched))
        .order_by(col(Complaint.opened_at).desc(), col(Complaint.id).desc())
        .limit(limit)
    )
    async with db() as s:
        rows = (await s.exec(stmt)).all()
    return [found for complaint, response in rows if (found := _stood(complaint, response))]
