"""Updates delivered twice (at once, or late after a restart) and taps raced: handled once."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlmodel import select

from bot.app import build_app
from bot.conversation.core import GENERIC_ERROR
from bot.i18n import translator
from surveys.models import Complaint, ComplaintMessage, Response
from tests.bot.roles.conftest import press, staff_world
from tests.fixtures.chat import OWNERS, Harness, OwnerSession, callback_of, running_bot

FAILED = translator("zh_CN")._(GENERIC_ERROR)


async def _settle(h: Harness) -> None:
    await h.outbox_idle()
    await asyncio.sleep(0.5)  # a duplicate handled late would have answered by now
    await h.outbox_idle()


async def _status(h: Harness, complaint_id: int) -> str | None:
    async with h.db() as s:
        complaint = await s.get(Complaint, complaint_id)
    return complaint.status if complaint else None


async def _count(session: OwnerSession, needle: str) -> int:
    return sum(needle in (m["text"] or "") for m in await session.messages())


async def test_a_complaint_and_a_relayed_reply_delivered_twice_are_recorded_once(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner, _, _ = await h.owner_with_survey(OWNERS[0], "WO-77", title="电梯异响维修")
        await owner.send("/complain 电梯又坏了，三天没人来修", deliver_twice=True)
        card = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                               contains="电梯又坏了")
        await press(world.agent, card["message_id"], "回复")
        await world.agent.send("明天上午九点上门检修。", deliver_twice=True)
        await h.client.wait_for_message(h.token, owner.chat_id, contains="明天上午九点")
        await _settle(h)
        async with h.db() as s:
            assert len((await s.exec(select(Complaint))).all()) == 1
            assert len((await s.exec(select(ComplaintMessage))).all()) == 1
        assert await _count(world.agent, "电梯又坏了") == 1
        assert await _count(owner, "明天上午九点") == 1


async def test_two_taps_on_resolved_at_once_resolve_the_complaint_once(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner, _, _ = await h.owner_with_survey(OWNERS[0], "WO-78", title="楼道照明维修")
        await owner.send("/complain 楼道灯坏了一周")
        card = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                               contains="楼道灯坏了")
        data = callback_of(card, "✔️")
        answers = len(await h.client.callback_answers(h.token))
        await asyncio.gather(*(h.client.tap(h.token, world.agent.chat_id, card["message_id"],
                                            data) for _ in range(2)))
        deadline = time.monotonic() + 10
        while len(await h.client.callback_answers(h.token)) < answers + 2:
            assert time.monotonic() < deadline, "both taps must be answered"
            await asyncio.sleep(0.02)
        await h.client.wait_for_message(h.token, owner.chat_id,
                                        predicate=lambda m: "😊 满意" in str(m["reply_markup"]))
        await _settle(h)
        follow_ups = [m for m in await owner.messages() if "😊 满意" in str(m["reply_markup"])]
        assert len(follow_ups) == 1
        async with h.db() as s:
            complaint = (await s.exec(select(Complaint))).one()
        assert complaint.status == "follow_up" and complaint.resolved_at is not None


async def test_acknowledge_and_resolved_tapped_together_never_lose_the_follow_up(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner, _, _ = await h.owner_with_survey(OWNERS[0], "WO-79", title="电梯维修")
        for round_ in range(3):
            await owner.send(f"/complain 第{round_}次：楼道灯坏了")
            card = await h.client.wait_for_message(h.token, world.agent.chat_id,
                                                   contains=f"第{round_}次")
            taps = [callback_of(card, " 已受理"), callback_of(card, "✔️")]
            await asyncio.gather(*(h.client.tap(h.token, world.agent.chat_id,
                                                card["message_id"], data) for data in taps))
            deadline = time.monotonic() + 15
            # Earlier follow-ups lost their buttons when answered: the one with buttons is new.
            while not (asks := [m for m in await owner.messages()
                                if "😊 满意" in str(m["reply_markup"])]):
                assert time.monotonic() < deadline, f"round {round_}: no follow-up question"
                await asyncio.sleep(0.05)
            await owner.tap_data(asks[-1]["message_id"], callback_of(asks[-1], "😊"))
            while (await _status(h, round_ + 1)) != "closed_satisfied":
                assert time.monotonic() < deadline, f"round {round_}: the follow-up was refused"
                await asyncio.sleep(0.05)
        await _settle(h)
        async with h.db() as s:
            statuses = [c.status for c in (await s.exec(select(Complaint))).all()]
        assert statuses == ["closed_satisfied"] * 3


async def test_an_update_handled_before_a_restart_is_not_handled_again(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await staff_world(h)
        owner = h.owner(OWNERS[0])
        await owner.bind()
        before = len(await owner.messages())
        await h.client.send_text(h.token, owner.chat_id, "/complain 垃圾三天没清运")
        receipt = (await h.client.wait_for(h.token, owner.chat_id, count=before + 1))[before]
        history = (await h.client.updates(h.token))["history"]
        update = next(u for u in history
                      if "垃圾三天" in str((u.get("message") or {}).get("text")))
        restarted = build_app(h.settings, polling=False, serve_api=False, schedule=False)
        try:  # a second process on the same database gets the same update late
            await restarted.runtime.feed_update(update)
        finally:
            await restarted.runtime.close()
            await restarted.engine.dispose()
        await _settle(h)
        assert len(await owner.messages()) == before + 1
        assert (await owner.messages())[-1]["message_id"] == receipt["message_id"]
        async with h.db() as s:
            assert len((await s.exec(select(Complaint))).all()) == 1


async def test_a_star_double_tapped_before_any_answer_is_stored_and_no_tap_fails(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        for round_, person in enumerate(OWNERS[:2]):
            owner, result, survey = await h.surveyed_owner(person, f"WO-DBL-{round_}")
            mid = survey["message_id"]
            answers = len(await h.client.callback_answers(h.token))
            # Two taps (two updates) on the first question at once: both find no answer yet.
            data = callback_of(await owner.message(mid), "2⭐")
            await asyncio.gather(*(h.client.tap(h.token, owner.chat_id, mid, data)
                                   for _ in range(2)))
            deadline = time.monotonic() + 10
            while len(got := await h.client.callback_answers(h.token)) < answers + 2:
                assert time.monotonic() < deadline, "both taps must be answered"
                await asyncio.sleep(0.02)
            assert [a.get("text") for a in got[answers:]].count(FAILED) == 0
            async with h.db() as s:
                rows = (await s.exec(select(Response).where(
                    Response.survey_id == result.survey_id))).all()
            assert [(r.overall, r.attitude) for r in rows] == [(2, None)]
            message = await owner.rate(mid, 4, 4, 4)
            assert "不写意见，直接提交" in str(message["reply_markup"])


@pytest.mark.slow  # ~2.5 s a runtime; test_answers_flow guards the same race in the quick suite
async def test_a_star_changed_on_one_device_as_the_other_submits_is_judged_or_refused(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        for round_, person in enumerate(OWNERS[:2]):  # both read Chinese
            owner, result, survey = await h.surveyed_owner(person, f"WO-TWO-{round_}")
            mid = survey["message_id"]
            card = await owner.rate(mid, 5, 5, 5, 5)
            submit = callback_of(card, "不写意见")  # still shown on the owner's other device
            stars = await owner.tap(mid, "修改：总体满意度")
            answers = len(await h.client.callback_answers(h.token))
            await asyncio.gather(*(h.client.tap(h.token, owner.chat_id, mid, data)
                                   for data in (callback_of(stars, "1⭐"), submit)))
            deadline = time.monotonic() + 10
            while len(got := await h.client.callback_answers(h.token)) < answers + 2:
                assert time.monotonic() < deadline, "both taps must be answered"
                await asyncio.sleep(0.02)
            assert [a.get("text") for a in got[answers:]].count(FAILED) == 0
            await _settle(h)
            async with h.db() as s:
                response = (await s.exec(select(Response).where(
                    Response.survey_id == result.survey_id))).one()
                complaints = (await s.exec(select(Complaint).where(
                    Complaint.survey_id == result.survey_id))).all()
            # A 1 stored after the submit would count in the agent's scores unjudged.
            assert (response.overall, len(complaints)) in {(1, 1), (5, 0)}
