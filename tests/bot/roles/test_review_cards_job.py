"""The review_cards job: once a month enters its appeal window, each bound manager gets one
card per agent of their community who worked in that month, once (dedupe across runs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import select

from bot.config import InviteConfig, Settings, TelegramConfig
from bot.staff.review_cards import review_cards
from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from surveys.models import Manager, OutboxMessage
from tests.fixtures.points_data import PointsData


@dataclass
class Host:
    db: SessionFactory
    settings: Settings
    woken: list[bool] = field(default_factory=list)

    def wake_dispatcher(self) -> None:
        self.woken.append(True)


async def test_each_bound_manager_gets_one_card_per_working_agent_once_in_the_review_window(
    db: SessionFactory,
) -> None:
    d = PointsData(db)
    sunny = await d.community("C1", "阳光花园")
    lake = await d.community("C2", "湖畔")
    owner = await d.owner(sunny)
    november = datetime(2026, 11, 10, 2, 0)
    for external_id, name, community in (("A-1", "王芳", sunny), ("A-2", "李强", sunny),
                                         ("B-1", "张伟", lake)):
        agent = await d.agent(external_id, name, community)
        await d.order(agent_id=agent, owner_id=owner, community_id=community,
                      closed_at=november, sent_at=november, ratings=(4, 4, 4, 4))
    await d.agent("A-3", "孙强", sunny)  # no work in November: no card (it would count nowhere)
    async with db() as s, s.begin():
        s.add(Manager(name="赵经理", community_id=sunny, chat_id=900, telegram_user_id=900))
    settings = Settings(telegram=TelegramConfig(token="1:test"),  # type: ignore[arg-type]
                        invites=InviteConfig(secret="secret"))  # type: ignore[arg-type]
    host = Host(db, settings)
    clock = FrozenClock(datetime(2026, 11, 20, 2, 0)).install()
    try:
        assert await review_cards(host) == 0  # October's window is over, November open
        clock.current = datetime(2026, 12, 1, 2, 0)  # November in review
        assert await review_cards(host) == 2
        assert await review_cards(host) == 0
    finally:
        FrozenClock.uninstall()
    async with db() as s:
        rows = (await s.exec(select(OutboxMessage).where(OutboxMessage.chat_id == 900))).all()
    texts = sorted(r.payload["text"] for r in rows)
    assert [t.splitlines()[0] for t in texts] == [
        "评价 李强（2026-11）：请为每一项点选星级。", "评价 王芳（2026-11）：请为每一项点选星级。"]
    assert all(len(r.payload["buttons"]) == 4 for r in rows)  # 3 criteria + the note
    assert host.woken
