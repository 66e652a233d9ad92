"""Reply templates (话术模板): a company's own wording beside the defaults in the catalogs.

The defaults are catalog texts (`bot.staff.templates`): the domain stores only what a company
changed. A row with a default's key replaces its words in that language; `active=False` hides
it; a new key adds a template. The agent's pick is sent with `handling.reply_to_owner`, the
same path as a typed reply.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sqlalchemy import delete
from sqlmodel import col, select

from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, InvalidInput, NotFound
from surveys.core.text import storable
from surveys.models import Complaint, Owner, ReplyTemplate

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en")
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,19}$")
TEXT_MAX_CHARS = 500


@dataclass(frozen=True)
class TemplateRow:
    """A company's own version of a template in one language."""

    key: str
    language: str
    text: str
    active: bool


class BadTemplate(InvalidInput):
    """A template key, language or text the company cannot store; `field` says which."""

    def __init__(self, field: str, value: str) -> None:
        super().__init__(f"reply template: bad {field} {value!r}", code=ErrorCode.INVALID_INPUT,
                         field=field, value=value)
        self.field, self.value = field, value


def _checked(key: str, language: str) -> tuple[str, str]:
    key = (key or "").strip().lower()
    if not KEY_PATTERN.match(key):
        raise BadTemplate("key", key)
    if language not in LANGUAGES:
        raise BadTemplate("language", language)
    return key, language


async def company_templates(*, db: SessionFactory, language: str | None = None
                            ) -> list[TemplateRow]:
    """Return the company's own template rows (one language, or all), oldest first."""
    query = select(ReplyTemplate).order_by(col(ReplyTemplate.id))
    if language is not None:
        query = query.where(col(ReplyTemplate.language) == language)
    async with db() as s:
        rows = (await s.exec(query)).all()
    return [TemplateRow(r.key, r.language, r.text, r.active) for r in rows]


async def set_template(*, db: SessionFactory, key: str, language: str, text: str | None,
                       active: bool = True) -> TemplateRow:
    """Store the company's words for a template (or hide it: `active=False`, text kept)."""
    key, language = _checked(key, language)
    words = storable(text or "").strip() if text is not None else None
    if words is not None and not 0 < len(words) <= TEXT_MAX_CHARS:
        raise BadTemplate("text", words[:40])
    async with db() as s, s.begin():
        row = (await s.exec(select(ReplyTemplate).where(
            col(ReplyTemplate.key) == key, col(ReplyTemplate.language) == language))).first()
        if row is None:
            row = ReplyTemplate(key=key, language=language, text=words or "")
        if words is not None:
            row.text = words
        row.active, row.updated_at = active, clock.now()
        s.add(row)
    log.info("reply template %s (%s) %s", key, language, "stored" if active else "hidden")
    return TemplateRow(key, language, row.text, active)


async def reset_template(*, db: SessionFactory, key: str, language: str) -> bool:
    """Forget the company's version (a default comes back); tell whether there was one."""
    key, language = _checked(key, language)
    async with db() as s, s.begin():
        result = await s.exec(delete(ReplyTemplate).where(
            col(ReplyTemplate.key) == key, col(ReplyTemplate.language) == language))
    return bool(result.rowcount)


async def complaint_owner_language(*, db: SessionFactory, complaint_id: int) -> str | None:
    """Return the language the owner of a complaint reads (None: not chosen)."""
    async with db() as s:
        complaint = await s.get(Complaint, complaint_id)
        owner = await s.get(Owner, complaint.owner_id) if complaint else None
    if complaint is None:
        raise NotFound(f"complaint {complaint_id}", code=ErrorCode.COMPLAINT_NOT_FOUND,
                       id=complaint_id)
    return owner.language if owner else None
