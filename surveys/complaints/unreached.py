"""Complaints whose card Telegram refused to the agent for good: the managers hear at once.

An agent who blocked the bot, or deleted the account, never gets the card of a new
complaint (the outbox row fails with "undeliverable"). Waiting for the acknowledgement
deadline (24 h, 2 h when urgent) would leave the owner unanswered that long; the deadline
job asks here every minute instead and alerts the managers once per complaint.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, select

from surveys.complaints.alerts import load_context, notify_managers
from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.models import Complaint, ComplaintStatus, OutboxMessage, OutboxStatus
from surveys.outbox.kinds import OutboxKind
from surveys.outbox.payloads import ComplaintNews

LOOKBACK = timedelta(days=2)  # older refusals have met their deadline alert by now
CARD_KEY = "complaint_opened:"  # surveys.complaints.alerts.announce_opened's dedupe key


async def alert_unreached_agents(*, db: SessionFactory, now: datetime | None = None
                                 ) -> list[int]:
    """Alert the managers once about each open complaint whose card the agent never got."""
    since = (now or clock.now()) - LOOKBACK
    alerted: list[int] = []
    async with db() as s, s.begin():
        keys = (await s.exec(
            select(OutboxMessage.dedupe_key).where(
                col(OutboxMessage.kind) == OutboxKind.COMPLAINT_OPENED,
                col(OutboxMessage.status) == OutboxStatus.FAILED,
                col(OutboxMessage.last_error).startswith("undeliverable", autoescape=True),
                col(OutboxMessage.created_at) >= since,
            )
        )).all()
        for key in keys:
            complaint_id = key.removeprefix(CARD_KEY)
            if not complaint_id.isdigit():
                continue
            prefix = f"manager_alert_unreached:{complaint_id}"
            told = (await s.exec(select(OutboxMessage.id).where(
                col(OutboxMessage.dedupe_key).startswith(f"{prefix}:", autoescape=True)))).first()
            if told is not None:
                continue
            complaint = await s.get(Complaint, int(complaint_id))
            if complaint is None or complaint.status != ComplaintStatus.OPEN:
                continue  # acknowledged meanwhile (e.g. seen in /complaints): nothing to say
            ctx = await load_context(s, complaint)
            queued = await notify_managers(
                s, ctx, kind=OutboxKind.MANAGER_ALERT,
                dedupe_prefix=prefix,
                extra=ComplaintNews(reasons=["agent_unreachable"]))
            if queued:
                alerted.append(int(complaint_id))
    return alerted
