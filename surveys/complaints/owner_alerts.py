"""Managers' alerts for owner texts kept past the daily limit: one at once, then one summary.

An owner past `complaints.owner_daily_complaints` may keep writing; every text is kept (no
complaint), but managers are not sent one alert per text. The first kept text is sent at
once and opens a 24-hour window; each text kept within it is counted into one summary per
manager, queued for the window's end and rewritten while it waits (how many, and the latest
`SUMMARY_TEXTS` of them). A kept text with risk words is also sent at once. Counts are read
back from the table, never incremented, so a repeated update or call changes no figure.
A window is the home's and the writing account's: after the home moves to another account,
that account's first kept text is sent at once too.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.complaints.alerts import managers_for, owner_unit
from surveys.complaints.opening import direct_target
from surveys.complaints.risk import find_risk_words, shown_to_managers
from surveys.core import clock
from surveys.core.config import ComplaintConfig
from surveys.models import (
    Agent,
    Manager,
    OutboxMessage,
    OutboxStatus,
    Owner,
    OwnerText,
    OwnerTextStatus,
    WorkOrder,
)
from surveys.outbox.escalation_payloads import OwnerTextKeptPayload
from surveys.outbox.kinds import OutboxKind
from surveys.outbox.store import enqueue
from surveys.people.scope import oversight_community

WINDOW = timedelta(hours=24)
# The summary quotes the latest kept texts, each shortened: enough to judge, one message.
SUMMARY_TEXTS = 5


async def alert_managers(s: AsyncSession, *, owner: Owner, note: OwnerText,
                         config: ComplaintConfig) -> dict[str, int | str]:
    """Alert the managers of a kept text at once, or count it into its window's summary."""
    assert note.id is not None and owner.id is not None
    first = await _window_opened_by(s, note)
    note.alert_id = note.id if first is None else first.id
    await s.flush()
    at_once = first is None or bool(
        find_risk_words(note.text, config.risk_words, config.risk_word_exceptions))
    managers, about = await _audience(s, owner)
    alert = _payload(owner, note, config, about, more=0)
    summary = None if first is None else await _summary(s, owner, first, config, about)
    for manager in managers:
        assert manager.id is not None and manager.chat_id is not None  # filtered in the query
        if at_once:
            await enqueue(s, kind=OutboxKind.OWNER_TEXT_KEPT, chat_id=manager.chat_id,
                          dedupe_key=f"owner_text_kept:{note.id}:m{manager.id}",
                          payload=alert.model_copy(update={"locale": manager.language}))
        if summary is not None and first is not None:
            await _queue_summary(s, first, manager.id, manager.chat_id,
                                 summary.model_copy(update={"locale": manager.language}))
    return {"managers": len(managers), "alert": "at_once" if at_once else "summary",
            "window_of": note.alert_id or 0}


async def _window_opened_by(s: AsyncSession, note: OwnerText) -> OwnerText | None:
    """The kept text of the same home and account that opened an alert window still running."""
    since = clock.now() - WINDOW
    return (await s.exec(
        select(OwnerText).where(col(OwnerText.owner_id) == note.owner_id,
                                col(OwnerText.telegram_user_id) == note.telegram_user_id,
                                col(OwnerText.status) == OwnerTextStatus.KEPT,
                                col(OwnerText.alert_id) == col(OwnerText.id),
                                col(OwnerText.id) != note.id,
                                col(OwnerText.decided_at) > since)
        .order_by(col(OwnerText.decided_at).desc(), col(OwnerText.id).desc()).limit(1)
    )).first()


_About = tuple[WorkOrder | None, Agent | None]


async def _audience(s: AsyncSession, owner: Owner) -> tuple[list[Manager], _About]:
    """The managers concerned, and the order and agent a complaint would have been about."""
    order, agent_id = await direct_target(s, owner)
    agent = await s.get(Agent, agent_id) if agent_id is not None else None
    return await managers_for(s, oversight_community(agent, owner)), (order, agent)


async def _summary(s: AsyncSession, owner: Owner, first: OwnerText, config: ComplaintConfig,
                   about: _About) -> OwnerTextKeptPayload:
    """The window's summary: how many texts were kept after its first, and the latest."""
    later = (col(OwnerText.alert_id) == first.id) & (col(OwnerText.id) != first.id)
    count = int((await s.exec(select(func.count()).select_from(OwnerText).where(later))).one())
    latest = list((await s.exec(select(OwnerText).where(later)
                                .order_by(col(OwnerText.id).desc()).limit(SUMMARY_TEXTS))).all())
    return _payload(owner, latest[0], config, about, more=count,
                    text="\n".join(f"“{shown_to_managers(n.text)}”" for n in reversed(latest)))


def _payload(owner: Owner, note: OwnerText, config: ComplaintConfig, about: _About, *,
             more: int, text: str | None = None) -> OwnerTextKeptPayload:
    assert note.id is not None and owner.id is not None
    order, agent = about
    return OwnerTextKeptPayload(
        owner_text_id=note.id, owner_id=owner.id,
        text=shown_to_managers(note.text) if text is None else text,
        limit=config.owner_daily_complaints, owner_name=owner.name,
        owner_unit=owner_unit(owner), agent_name=agent.name if agent else None,
        work_order_external_id=order.external_id if order else None,
        work_order_title=order.title if order else None, more=more)


async def _queue_summary(s: AsyncSession, first: OwnerText, manager_id: int, chat_id: int,
                         payload: OwnerTextKeptPayload) -> None:
    """Queue the window's summary for its end, or rewrite the one still waiting."""
    assert first.decided_at is not None
    key = f"owner_text_more:{first.id}:m{manager_id}"
    row = await enqueue(s, kind=OutboxKind.OWNER_TEXT_KEPT, chat_id=chat_id, dedupe_key=key,
                        payload=payload, not_before=first.decided_at + WINDOW)
    if row is None:  # queued by an earlier text: only a row not yet being sent is rewritten
        await s.exec(update(OutboxMessage)
                     .where(col(OutboxMessage.dedupe_key) == key,
                            col(OutboxMessage.status) == OutboxStatus.PENDING)
                     .values(payload=payload.to_json()))
