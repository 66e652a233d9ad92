"""A complaint's aspect verdict: what the classifier (or the last correction) said, and
how a corrected verdict rewrites the complaint's tags and evidence.

Tags that came from the owner's own low ratings stay whatever the words' verdict is: the
owner said so, not the classifier.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.core.errors import InvalidInput
from surveys.models import (
    Complaint,
    ComplaintSource,
    ComplaintStatus,
    CorrectionStatus,
    Response,
    TagCorrection,
)

ASPECTS: tuple[str, ...] = ("attitude", "clarity", "timeliness", "resolution")
AspectValue = Literal["pos", "neg"] | None
VALUES: tuple[AspectValue, ...] = ("pos", "neg", None)


@dataclass(frozen=True)
class Verdict:
    """The four aspects of a complaint's words, and whether the words are a complaint at all."""

    aspects: tuple[tuple[str, AspectValue], ...]
    not_complaint: bool = False

    @classmethod
    def of(cls, aspects: Mapping[str, Any], not_complaint: bool = False) -> Verdict:
        """Build a verdict from a mapping; unknown aspects or values raise InvalidInput."""
        unknown = set(aspects) - set(ASPECTS)
        if unknown:
            raise InvalidInput(f"unknown aspects: {', '.join(sorted(unknown))}")
        values = {a: aspects.get(a) for a in ASPECTS}
        if any(v not in VALUES for v in values.values()):
            raise InvalidInput("an aspect is pos, neg or none")
        if not_complaint and "neg" in values.values():
            raise InvalidInput("words that are not a complaint have no negative aspect")
        return cls(tuple((a, values[a]) for a in ASPECTS), not_complaint)

    def as_dict(self) -> dict[str, AspectValue]:
        """Return the aspects as a dict (every aspect present)."""
        return dict(self.aspects)

    def negative(self) -> list[str]:
        """Return the aspects judged negative, in the fixed aspect order."""
        return [a for a, v in self.aspects if v == "neg"]


@dataclass(frozen=True)
class Current:
    """A complaint's verdict now and the applied correction it comes from (0: the classifier)."""

    verdict: Verdict
    parent_id: int


def rated(complaint: Complaint) -> list[str]:
    """Return the questions whose low rating opened (or joined) the complaint."""
    ratings = (complaint.evidence or {}).get("ratings") or {}
    return [str(q) for q in ratings] if isinstance(ratings, dict) else []


def may_dismiss(complaint: Complaint) -> bool:
    """Tell whether a correction may say "not a complaint" (not when a low rating opened it)."""
    return complaint.source != ComplaintSource.LOW_RATING


def _classifier_aspects(complaint: Complaint, response: Response | None) -> dict[str, Any]:
    aspects = ((response.classification or {}) if response else {}).get("aspects")
    if isinstance(aspects, dict) and aspects:
        return {a: v if v in ("pos", "neg") else None for a, v in aspects.items() if a in ASPECTS}
    # A direct complaint keeps only its negative aspects (and by_aspect names them).
    by_aspect = (complaint.evidence or {}).get("by_aspect")
    names = list(by_aspect) if isinstance(by_aspect, dict) else [
        t for t in complaint.tags or [] if t not in rated(complaint)]
    return {a: "neg" for a in names if a in ASPECTS}


async def current(session: AsyncSession, complaint: Complaint) -> Current:
    """Return the complaint's verdict: its last applied correction, else the classifier's."""
    last = (
        await session.exec(
            select(TagCorrection)
            .where(TagCorrection.complaint_id == complaint.id,
                   TagCorrection.status == CorrectionStatus.APPLIED)
            .order_by(col(TagCorrection.id).desc())
            .limit(1)
        )
    ).first()
    if last is not None and last.id is not None:
        return Current(Verdict.of(last.aspects, last.not_complaint), last.id)
    response = None
    if complaint.survey_id is not None:
        response = (
            # The answer that opened it: a 回访 entered again after a void is a later row.
            await session.exec(select(Response).where(
                Response.survey_id == complaint.survey_id,
                col(Response.submitted_at) <= complaint.opened_at,
            ).order_by(col(Response.id).desc()))
        ).first()
    return Current(Verdict.of(_classifier_aspects(complaint, response)), 0)


def snapshot(complaint: Complaint, verdict: Verdict) -> dict[str, Any]:
    """Return what a correction changes, as it is before (kept on the correction row)."""
    return {"aspects": verdict.as_dict(), "not_complaint": verdict.not_complaint,
            "tags": list(complaint.tags or []), "status": complaint.status}


def apply(complaint: Complaint, verdict: Verdict, *, correction_id: int, now: datetime) -> None:
    """Rewrite the complaint's tags and evidence to the corrected verdict."""
    evidence = dict(complaint.evidence or {})
    negative = verdict.negative()
    complaint.tags = list(dict.fromkeys([*negative, *rated(complaint)]))
    old = evidence.get("by_aspect")
    by_aspect = {a: list((old or {}).get(a) or []) for a in negative}
    if isinstance(old, dict):
        evidence["words"] = list(dict.fromkeys(w for words in by_aspect.values() for w in words))
    elif not negative:
        evidence["words"] = []
    evidence["by_aspect"] = by_aspect
    evidence["corrected"] = {"correction_id": correction_id, "at": now.isoformat()}
    complaint.evidence = evidence  # a new dict, so the JSON column is written
    if verdict.not_complaint:
        # Leaves every score (like a voided record) and the handling queue.
        complaint.voided = True
        complaint.status = ComplaintStatus.DISMISSED
        complaint.closed_at = now
