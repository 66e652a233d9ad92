"""CSV import of staff-entered 回访 (phone, visit): the chat's rules, one row at a time.

Columns (header row required, any order, extra columns ignored): work_order, channel
(phone / visit, or 电话 / 上门), overall, attitude, clarity, timeliness (1–5 each), and
optionally words (the owner's words) and staff (the 回访 staff's id or name, or a manager's
name; the import's `--staff` when the column is empty). Each row goes through
`surveys.survey.revisits.record_revisit`: a bad row is reported by line and the rest are
imported; the same file imported twice records each 回访 once ("already there").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from scoring.questions import QUESTIONS
from surveys.core.config import ComplaintConfig, SurveyConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import DomainError, ErrorCode
from surveys.intake.importer import BATCH_ROWS, Hooks, ImportReport, cell, import_file
from surveys.intake.refusals import IntakeRefused
from surveys.survey.revisit_staff import Recorder, recorder_named
from surveys.survey.revisits import record_revisit

REQUIRED = ("work_order", "channel", *QUESTIONS)
OPTIONAL = ("words", "staff")
CHANNEL_WORDS = {"电话": "phone", "上门": "visit", "走访": "visit"}



def _folded(value: object) -> object:
    """Return a cell as NFKC text (a full-width IME types ５ and ｐｈｏｎｅ), stripped."""
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


Stars = Annotated[int, BeforeValidator(_folded), Field(ge=1, le=5, strict=False)]


def _channel(value: object) -> object:
    text = str(_folded(value or ""))
    channel = CHANNEL_WORDS.get(text, text.lower())
    if channel not in ("phone", "visit"):  # its own code: the reader names 电话 / 上门 too
        raise PydanticCustomError("revisit_channel", "channel must be phone or visit")
    return channel


class RevisitRow(BaseModel):
    """One row: which order, how the owner was reached, their stars and words, by whom."""

    work_order: str = Field(min_length=1, max_length=128)
    channel: Annotated[Literal["phone", "visit"], BeforeValidator(_channel)]
    overall: Stars
    attitude: Stars
    clarity: Stars
    timeliness: Stars
    words: str | None = Field(None, max_length=2000)
    staff: str | None = Field(None, max_length=200)


@dataclass(frozen=True)
class Taken:
    """A row recorded (`created`), or found recorded before by the same entry."""

    work_order: str
    created: bool


def row_to_revisit(cells: dict[str, str]) -> RevisitRow:
    """Validate one row (raises pydantic's ValidationError)."""
    return RevisitRow.model_validate(
        {name: cell(cells, name) for name in (*REQUIRED, *OPTIONAL)
         if cell(cells, name) is not None})


def _no_staff() -> IntakeRefused:
    refused = IntakeRefused("no staff column value and no --staff", column="staff")
    refused.code = ErrorCode.REVISITOR_MISSING
    return refused


def _refused(exc: DomainError) -> IntakeRefused:
    refused = IntakeRefused(str(exc), **{k: "" if v is None else str(v)
                                         for k, v in exc.fields.items()})
    refused.code = exc.code
    return refused


async def import_revisits_csv(
    *, db: SessionFactory, path: str | Path, staff: str | None,
    survey_config: SurveyConfig, complaint_config: ComplaintConfig,
    hooks: Hooks | None = None, batch_rows: int = BATCH_ROWS,
) -> ImportReport:
    """Record the 回访 listed in a CSV file; never stop at a bad row."""
    recorders: dict[str, Recorder | DomainError] = {}

    async def recorder(name: str) -> Recorder:
        if name not in recorders:
            try:
                recorders[name] = await recorder_named(db=db, staff=name)
            except DomainError as exc:
                recorders[name] = exc
        found = recorders[name]
        if isinstance(found, DomainError):
            raise found
        return found

    async def write(rows: Sequence[RevisitRow]) -> list[Taken | IntakeRefused]:
        out: list[Taken | IntakeRefused] = []
        for row in rows:  # one transaction each: a refused row never holds back the others
            if not (row.staff or staff or "").strip():
                out.append(_no_staff())
                continue
            try:
                result = await record_revisit(
                    db=db, work_order=row.work_order,
                    recorder=await recorder(row.staff or staff or ""),
                    ratings={q: getattr(row, q) for q in QUESTIONS}, words=row.words,
                    channel=row.channel, survey_config=survey_config,
                    complaint_config=complaint_config)
            except DomainError as exc:
                out.append(_refused(exc))
                continue
            out.append(Taken(row.work_order, created=not result.repeated))
        return out

    return await import_file(
        path, required=REQUIRED, what="回访", parse=row_to_revisit,
        key=lambda c: cell(c, "work_order") or "", write=write,
        columns=lambda loc: "_".join(str(p) for p in loc) or "-",
        hooks=hooks or Hooks(), batch_rows=batch_rows)
