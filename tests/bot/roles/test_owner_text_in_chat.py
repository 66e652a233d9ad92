"""An owner's free text outside a survey, in chat on both runtimes: chatter opens nothing, a
neutral text asks first, later texts join the complaint in hand, and past the daily limit a
text reaches the manager without opening a complaint."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlmodel import col, select

from surveys.core.clock import FrozenClock
from surveys.core.config import ComplaintConfig
from surveys.models import Complaint, ComplaintMessage, OutboxMessage
from surveys.people.staffing import deactivate_manager
from tests.bot.roles.conftest import Staffed, press, staff_world, texts
from tests.fixtures.chat import OWNERS, Harness, OwnerSession, button_texts, running_bot


async def _complaints(h: Harness) -> list[Complaint]:
    async with h.db() as s:
        return list((await s.exec(select(Complaint))).all())


async def _owner_after_an_order(world: Staffed) -> OwnerSession:
    owner = world.h.owner(OWNERS[0])
    await owner.bind()
    await world.h.close_order(OWNERS[0], "WO-700", title="电梯维修")
    await owner.wait_survey()
    return owner


@dataclass
class OverTheLimit:
    """A bot whose owners may open one complaint a day, and an owner who has opened it."""

    h: Harness
    world: Staffed
    owner: OwnerSession
    clock: FrozenClock


@pytest.fixture
async def over_the_limit(db_url: str, chat_runtime: str) -> AsyncIterator[OverTheLimit]:
    """Limit 1, the clock frozen, and the owner's first /complain of the day opened."""
    clock = FrozenClock(datetime(2026, 11, 17, 2, 0)).install()
    try:
        async with running_bot(db_url,
                               complaints=ComplaintConfig(owner_daily_complaints=1)) as h:
            world = await staff_world(h)
            owner = await _owner_after_an_order(world)
            assert "您的投诉 #" in (await owner.send("/complain 电梯又坏了"))["text"]
            yield OverTheLimit(h, world, owner, clock)
    finally:
        FrozenClock.uninstall()


async def test_greeting_outside_a_survey_opens_no_complaint(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner = await _owner_after_an_order(world)
        for words in ("在吗", "您好，在吗？", "?"):
            reply = await owner.send(words)
            assert "物业服务助手" in reply["text"] and "/complain" in reply["text"]
            assert "投诉 #" not in reply["text"] and not button_texts(reply)
        assert "谢谢" in (await owner.send("👍"))["text"]
        assert await _complaints(h) == []
        await h.outbox_idle()
        assert not any("WO-700" in t for t in texts(await world.agent.messages()))


async def test_emoji_alone_get_a_short_thanks_or_a_request_to_say_what_happened(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner = await _owner_after_an_order(world)
        for pleased in ("👍", "🌹🌹🌹"):
            reply = await owner.send(pleased)
            assert reply["text"] == "谢谢您！有需要随时找我们。" and not button_texts(reply)
        for upset in ("🙂🙂🙂", "😡😡"):
            reply = await owner.send(upset)
            assert reply["text"].startswith("很抱歉") and "请您简单说明发生了什么" in reply["text"]
            assert "/complain" in reply["text"] and not button_texts(reply)
        assert await _complaints(h) == []
        opened = await owner.send("电梯又坏了，一直没人修")
        assert "您的投诉 #" in opened["text"]
        joined = await owner.send("😡😡")  # now about something: the agent sees it
        assert "已将这条补充加入您的投诉" in joined["text"]
        await h.client.wait_for_message(h.token, world.agent.chat_id, contains="😡😡")


async def test_second_message_about_same_problem_joins_the_open_complaint(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner = await _owner_after_an_order(world)
        opened = await owner.send("电梯又坏了，一直没人修")
        [complaint] = await _complaints(h)
        assert f"您的投诉 #{complaint.id}" in opened["text"]
        await h.client.wait_for_message(h.token, world.agent.chat_id, contains="WO-700")
        joined = await owner.send("今天还是没人来，地下车库也有积水")
        assert f"已将这条补充加入您的投诉 #{complaint.id}" in joined["text"]
        relayed = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                                  contains="地下车库也有积水")
        assert f"#{complaint.id}" in relayed["text"]
        again = await owner.send("今天还是没人来，地下车库也有积水")
        assert "无需重复发送" in again["text"]
        assert [c.id for c in await _complaints(h)] == [complaint.id]
        async with h.db() as s:
            words = (await s.exec(select(ComplaintMessage.text))).all()
        assert list(words) == ["今天还是没人来，地下车库也有积水"]


async def test_a_message_after_resolved_joins_and_points_to_the_not_satisfied_button(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner = await _owner_after_an_order(world)
        await owner.send("电梯又坏了，一直没人修")
        card = await h.client.wait_for_message(h.token, world.agent.chat_id, contains="WO-700")
        await press(world.agent, card["message_id"], "已解决")
        await h.client.wait_for_message(h.token, owner.chat_id, contains="满意吗")
        reply = await owner.send("电梯还是不能用")
        assert "不满意" in reply["text"] and "已将这条补充加入您的投诉" in reply["text"]
        [complaint] = await _complaints(h)
        assert complaint.status == "follow_up"


async def test_a_neutral_problem_is_registered_only_when_the_owner_confirms(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner = await _owner_after_an_order(world)
        question = await owner.send("地下车库有积水")
        assert button_texts(question) == ["登记为投诉", "不用了"]
        more = await owner.send("三号门那边也有积水")  # before answering: no second question
        assert "已并入上面的消息" in more["text"] and not button_texts(more)
        assert await _complaints(h) == []
        button = next(b["callback_data"] for row in question["reply_markup"]["inline_keyboard"]
                      for b in row if b["text"] == "登记为投诉")
        await owner.tap_data(question["message_id"], button, deliver_twice=True)
        [complaint] = await _complaints(h)
        edited = await owner.message(question["message_id"])
        assert f"您的投诉 #{complaint.id}" in edited["text"] and not button_texts(edited)
        assert complaint.text == "地下车库有积水\n三号门那边也有积水"
        await h.client.wait_for_message(h.token, world.agent.chat_id, contains="三号门那边也有积水")
        late = await owner.tap_data(question["message_id"], button)  # an old client's tap
        assert f"#{complaint.id}" in late["text"]
        assert len(await _complaints(h)) == 1


async def test_a_tap_on_a_lapsed_question_registers_nothing_and_gives_the_words_back(
        db_url: str) -> None:
    clock = FrozenClock(datetime(2026, 11, 17, 2, 0)).install()
    try:
        async with running_bot(db_url) as h:
            world = await staff_world(h)
            owner = await _owner_after_an_order(world)
            question = await owner.send("地下车库有积水")
            assert "24 小时内" in question["text"]
            clock.advance(timedelta(hours=25))
            lapsed = await press(owner, question["message_id"], "登记为投诉")
            assert "已过期" in lapsed["text"] and "/complain" in lapsed["text"]
            assert lapsed["text"].endswith("您当时的消息：\n地下车库有积水")
            assert not button_texts(lapsed)
            again = await owner.tap_data(
                question["message_id"],
                next(b["callback_data"] for row in question["reply_markup"]["inline_keyboard"]
                     for b in row if b["text"] == "登记为投诉"),
                deliver_twice=True)
            assert "已过期" in again["text"] and "地下车库" not in again["text"]
            assert await _complaints(h) == []
            fresh = await owner.send("地下车库有积水")  # written again: asked again
            assert button_texts(fresh) == ["登记为投诉", "不用了"]
    finally:
        FrozenClock.uninstall()


async def test_no_thanks_registers_nothing(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner = await _owner_after_an_order(world)
        question = await owner.send("物业费怎么交")
        answered = await press(owner, question["message_id"], "不用了")
        assert "未登记投诉" in answered["text"] and not button_texts(answered)
        assert await _complaints(h) == []


async def test_past_the_daily_limit_the_manager_sees_the_text_and_no_complaint_opens(
        over_the_limit: OverTheLimit) -> None:
    h, world, owner = over_the_limit.h, over_the_limit.world, over_the_limit.owner
    kept = await owner.send("/complain 门禁也坏了，快来修")
    assert "已记录并转交主管" in kept["text"] and "投诉 #" not in kept["text"]
    alert = await h.client.wait_for_message(h.token, world.manager.chat_id, contains="已达上限")
    assert "门禁也坏了" in alert["text"]
    assert len(await _complaints(h)) == 1


async def test_a_flood_past_the_daily_limit_reaches_the_manager_as_one_alert_and_a_summary(
        over_the_limit: OverTheLimit) -> None:
    h, world, owner = over_the_limit.h, over_the_limit.world, over_the_limit.owner
    for n in range(1, 5):
        kept = await owner.send(f"/complain 第{n}遍：门禁也坏了", deliver_twice=n == 4)
        assert "已记录并转交主管" in kept["text"]
    alert = await h.client.wait_for_message(h.token, world.manager.chat_id, contains="已达上限")
    assert "第1遍" in alert["text"]
    over_the_limit.clock.advance(timedelta(hours=24))
    h.app.wake_dispatcher()
    summary = await h.client.wait_for_message(h.token, world.manager.chat_id,
                                              contains="又发来 3 条")
    assert all(f"第{n}遍" in summary["text"] for n in (2, 3, 4))
    told = [t for t in texts(await world.manager.messages()) if t.startswith("📥")]
    assert told == [alert["text"], summary["text"]]
    assert len(await _complaints(h)) == 1


async def test_a_manager_deactivated_while_a_summary_waits_does_not_get_it(
        over_the_limit: OverTheLimit) -> None:
    h, world, owner = over_the_limit.h, over_the_limit.world, over_the_limit.owner
    for n in (1, 2):
        await owner.send(f"/complain 第{n}遍：门禁也坏了")
    await h.client.wait_for_message(h.token, world.manager.chat_id, contains="已达上限")
    await deactivate_manager(db=h.db, manager_id=world.manager_id)  # left the team
    over_the_limit.clock.advance(timedelta(hours=24))
    h.app.wake_dispatcher()
    await h.outbox_idle()
    assert not any("又发来" in t for t in texts(await world.manager.messages()))
    async with h.db() as s:
        [summary] = (await s.exec(select(OutboxMessage).where(
            col(OutboxMessage.dedupe_key).startswith("owner_text_more:")))).all()
    assert summary.last_error == "skipped: manager deactivated"
