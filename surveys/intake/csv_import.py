"""CSV import of closed work orders: each row validated and closed in its own transaction.

Columns (header row required; extra columns are ignored): external_id, community_code,
owner_name, owner_phone, building, room, agent_external_id, agent_name, kind, urgency, title,
opened_at, closed_at. UTF-8 (with or without BOM, as Excel writes it) or GB18030.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from surveys.core.config import SurveyConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import InvalidInput
from surveys.core.pii import mask_phone
from surveys.intake.close import WorkOrderIn, close_work_order

log = logging.getLogger(__name__)

REQUIRED = ("external_id", "community_code", "owner_name", "owner_phone", "agent_external_id")
OPTIONAL = ("building", "room", "agent_name", "kind", "urgency", "title", "opened_at",
            "closed_at")


@dataclass(frozen=True)
class RowError:
    line: int
    external_id: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    unchanged: int = 0  # already closed before (idempotent re-import)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Tell whether every row was imported."""
        return not self.errors


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _row_to_order(row: dict[str, str]) -> WorkOrderIn:
    def get(name: str) -> str | None:
        value = (row.get(name) or "").strip()
        return value or None

    body: dict[str, Any] = {
        "external_id": get("external_id") or "",
        "community_code": get("community_code") or "",
        "owner": {"name": get("owner_name") or "", "phone": get("owner_phone") or "",
                  "building": get("building"), "room": get("room")},
        "agent_external_id": get("agent_external_id") or "",
    }
    for name in ("agent_name", "kind", "urgency", "title", "opened_at", "closed_at"):
        if get(name) is not None:
            body[name] = get(name)
    return WorkOrderIn.model_validate(body)


def _explain(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(p) for p in err["loc"]).replace("owner.", "owner_")
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


async def import_orders_csv(
    *, db: SessionFactory, path: str | Path, survey_config: SurveyConfig
) -> ImportReport:
    """Import closed work orders from a CSV file; report per-row errors by line number."""
    try:
        text = await asyncio.to_thread(_read_text, Path(path))
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InvalidInput(f"missing column(s): {', '.join(missing)}")
    report = ImportReport()
    line = reader.line_num
    for row in reader:
        start, line = line + 1, reader.line_num
        report.rows += 1
        external_id = (row.get("external_id") or "").strip()
        if None in row:  # more cells than header columns
            report.errors.append(RowError(start, external_id, "too many cells in this row"))
            continue
        try:
            order = _row_to_order(row)
            result = await close_work_order(db=db, order=order, survey_config=survey_config)
        except ValidationError as exc:
            report.errors.append(RowError(start, external_id, _explain(exc)))
            continue
        except InvalidInput as exc:
            report.errors.append(RowError(start, external_id, str(exc)))
            continue
        if result.created:
            report.created += 1
        else:
            report.unchanged += 1
    log.info("imported %s: %s rows, %s new, %s unchanged, %s errors", Path(path).name,
             report.rows, report.created, report.unchanged, len(report.errors))
    for error in report.errors:
        log.info("line %s (%s): %s", error.line, error.external_id, _mask(error.message))
    return report


def _mask(message: str) -> str:
    """Mask anything in an error message that looks like a phone number."""
    import re

    return re.sub(r"\d{7,}", lambda m: mask_phone(m.group(0)), message)
