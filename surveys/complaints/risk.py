"""Risk words in an owner's text (12345, 市长热线, 媒体, 律师…): the manager is alerted at once.

The list is `complaints.risk_words` in the config. Text and words are compared normalised
(Traditional to Simplified, full-width to half-width, case); a word of digits only matches a
number on its own (the 12345 hotline, not the middle of 13812345678), and a word inside a
longer word of `complaints.risk_word_exceptions` does not count (媒体 in 自媒体). The alert
shows the words found and the text with phone numbers masked; it is queued once per text
(the outbox key names the text's record).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.classifier.segmentation import normalize
from surveys.complaints.alerts import managers_for, owner_unit
from surveys.core import audit
from surveys.core.pii import mask_phones
from surveys.models import Agent, Owner, Role, WorkOrder
from surveys.outbox.escalation_payloads import RiskWordsPayload
from surveys.outbox.kinds import OutboxKind
from surveys.outbox.store import enqueue
from surveys.people.scope import oversight_community

RiskSource = Literal["comment", "complaint", "message"]
TEXT_SHOWN_MAX_CHARS = 500


def find_risk_words(text: str | None, words: Sequence[str], exceptions: Sequence[str] = ()
                    ) -> list[str]:
    """Return the configured words found in the text, in the list's order.

    A word counts where it stands outside every longer exception word that holds it (媒体 in
    自媒体 does not count, 媒体 elsewhere in the same text does).
    """
    if not text:
        return []
    seen = normalize(text)
    longer = [normalize(e) for e in exceptions]
    found = []
    for word in words:
        wanted = normalize(word)
        if not wanted:
            continue
        if wanted.isdigit():
            hit = re.search(rf"(?<!\d){re.escape(wanted)}(?!\d)", seen) is not None
        else:
            hit = _stands_outside(seen, wanted, longer)
        if hit:
            found.append(word)
    return found


def _stands_outside(seen: str, wanted: str, exceptions: Sequence[str]) -> bool:
    """Tell whether `wanted` occurs in `seen` at least once outside the exception words."""
    covers = [(e, k) for e in exceptions if e != wanted for k in _offsets(e, wanted)]
    return any(not any(i >= k and seen.startswith(e, i - k) for e, k in covers)
               for i in _offsets(seen, wanted))


def _offsets(text: str, part: str) -> Iterator[int]:
    start = text.find(part)
    while start >= 0:
        yield start
        start = text.find(part, start + 1)


def shown_to_managers(text: str) -> str:
    """Return an owner's words as a manager's alert shows them: phones masked, shortened."""
    shown = mask_phones(text)
    if len(shown) > TEXT_SHOWN_MAX_CHARS:
        shown = shown[:TEXT_SHOWN_MAX_CHARS] + "…"
    return shown


async def alert_risk_words(
    session: AsyncSession, *, text: str | None, words: Sequence[str],
    exceptions: Sequence[str] = (), source: RiskSource,
    source_key: str, owner: Owner, agent: Agent | None = None,
    work_order: WorkOrder | None = None, complaint_id: int | None = None,
    writer: Owner | None = None,
) -> list[str]:
    """Alert the managers concerned, in the caller's transaction, if the text has risk words.

    `owner` is the home written about; `writer`, when another row, whom it is from (the
    filer of a complaint whose home moved: `ComplaintContext.person`).
    """
    writer = writer or owner
    found = find_risk_words(text, words, exceptions)
    if not found or text is None:
        return []
    shown = shown_to_managers(text)
    managers = await managers_for(session, oversight_community(agent, owner))
    for manager in managers:
        assert manager.chat_id is not None  # filtered in the query
        payload = RiskWordsPayload(
            source=source, words=found, text=shown, owner_name=writer.name,
            owner_unit=owner_unit(owner), agent_name=agent.name if agent else None,
            complaint_id=complaint_id,
            work_order_external_id=work_order.external_id if work_order else None,
            work_order_title=work_order.title if work_order else None,
            locale=manager.language,
        )
        await enqueue(session, kind=OutboxKind.RISK_WORDS, chat_id=manager.chat_id,
                      dedupe_key=f"risk_words:{source_key}:m{manager.id}",
                      payload=payload)
    audit.record(session, actor_role=Role.OWNER, actor_id=writer.id, action="risk_words",
                 subject_kind=source, subject_id=None,
                 detail={"words": found, "record": source_key, "managers": len(managers)})
    return found
