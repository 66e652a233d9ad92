"""Demo step: quiet hours. An order closed at 22:30 is surveyed at 08:00, not at night.

The demo company sets no quiet hours (the demo runs at any hour); this step gives 阳光花园
its own window, moves the domain clock to 22:30 there, closes an order, and shows the survey
waiting in the outbox until the clock reaches 08:00. Played last: the clock is put back.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bot.demo.world import COMMUNITY, OWNERS, Demo
from bot.i18n import N_
from surveys.core import clock
from surveys.core.clock import FrozenClock
from surveys.models import OutboxMessage
from surveys.people.courtesy import set_courtesy

ORDER = ("WO-2026-0010", "A002", "repair", "楼道声控灯不亮")
ZONE = "Asia/Shanghai"


def _local(at: datetime) -> str:
    return at.replace(tzinfo=UTC).astimezone(ZoneInfo(ZONE)).strftime("%m-%d %H:%M")


async def survey_waits_for_morning(demo: Demo) -> None:
    """Play a survey closed at night that waits for the community's morning."""
    user_id, name, phone, building, room = OWNERS[1]
    liu = demo.players[user_id]
    community = await set_courtesy(db=demo.db, code=COMMUNITY[0], timezone=ZONE,
                                   quiet_hours="21:00-08:00")
    demo.transcript.write(f"   · ownervoice communities set {community.code} --quiet-hours "
                          f"{community.quiet_hours} --timezone {community.timezone}")
    today = datetime.now(ZoneInfo(ZONE)).date() + timedelta(days=1)
    night = datetime.combine(today, time(22, 30), tzinfo=ZoneInfo(ZONE))
    frozen = FrozenClock(night).install()
    try:
        demo.transcript.note(N_("the clock moves to {time} in {community}"),
                             time=_local(clock.now()), community=COMMUNITY[1])
        external_id, agent, kind, title = ORDER
        status, answer = await demo.post_order({
            "external_id": external_id, "community_code": COMMUNITY[0],
            "owner": {"name": name, "phone": phone, "building": building, "room": room},
            "agent_external_id": agent, "kind": kind, "title": title,
        })
        async with demo.db() as s:
            row = (await s.exec(select(OutboxMessage).where(
                col(OutboxMessage.survey_id) == answer.get("survey_id")))).one()
        demo.transcript.note(N_("POST /api/v1/work-orders/close {order} → {status} survey "
                                "#{survey} {survey_status}, queued for {time}: nothing is "
                                "sent at night"), order=external_id, status=status,
                             survey=answer.get("survey_id"),
                             survey_status=demo.transcript.word(answer.get("survey_status")),
                             time=_local(row.next_attempt_at))
        frozen.current = row.next_attempt_at
        demo.transcript.note(N_("the clock reaches {time}"), time=_local(clock.now()))
        demo.app.wake_dispatcher()
        await liu.wait_for_message(title)
    finally:
        FrozenClock.uninstall()
