"""Every button is checked when it is tapped, by whoever taps it, not when it was sent.

A button's signed callback data copied into another person's chat (a forwarded message, a
custom client), or tapped after its owner lost the role, must change nothing and say so.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col, select

from bot.i18n import translator
from surveys.intake.close import reassign_work_order
from surveys.models import Agent, Complaint, ComplaintMessage, Manager, StaffPrompt
from surveys.people.directory import add_community
from surveys.people.staffing import add_manager
from tests.bot.roles.conftest import invite, press, staff_world
from tests.bot.security.conftest import complaint_card, data_of
from tests.fixtures.chat import OWNERS, Harness, OwnerSession, Person, running_bot

ZH = translator("zh_CN")
ELSEWHERE_MANAGER = Person(8009, "海韵经理", "13600000009")


async def _any_message_id(session: OwnerSession) -> int:
    return int((await session.messages())[-1]["message_id"])


async def _prompt(h: Harness, user_id: int) -> StaffPrompt | None:
    async with h.db() as s:
        return await s.get(StaffPrompt, user_id)


async def test_another_agent_replaying_a_complaint_card_changes_nothing(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        _, card, cid = await complaint_card(h, world.agent)
        # The order moves to agent B: the complaint stays with the agent credited at closing.
        await reassign_work_order(db=h.db, external_id=f"WO-SEC-{OWNERS[0].user_id}",
                                  agent_external_id="A002")
        where = await _any_message_id(world.agent_b)
        for label in ("已受理", "已解决", "回复", "申诉"):
            answer = await world.agent_b.tap_data(where, data_of(card, label))
            assert answer.get("text") in {ZH._("This complaint is not assigned to you."),
                                          ZH._("This complaint no longer exists.")}, label
        assert await _prompt(h, world.agent_b.person.user_id) is None
        # /appeal without a reason asks for one only about the agent's own records.
        refused = await world.agent_b.send(f"/appeal {cid}")
        assert refused["text"] == ZH._("You can only appeal complaints and ratings about your "
                                       "own work.")
        assert await _prompt(h, world.agent_b.person.user_id) is None
        follow = await world.agent_b.send("这条文字不应转给业主")
        assert "已转达" not in str(follow["text"])
        async with h.db() as s:
            row = await s.get(Complaint, cid)
            relayed = (await s.exec(select(ComplaintMessage))).all()
        assert row is not None and row.acknowledged_at is None and row.resolved_at is None
        assert relayed == []


async def test_a_deactivated_agent_can_no_longer_use_theircomplaint_card(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        _, card, cid = await complaint_card(h, world.agent)
        async with h.db() as s, s.begin():
            await s.exec(update(Agent).where(col(Agent.external_id) == "A001")
                         .values(active=False))  # type: ignore[call-overload]
        for label in ("已受理", "已解决", "回复"):
            answer = await world.agent.tap_data(card["message_id"], data_of(card, label))
            assert answer.get("text") == ZH._("Sorry, this button is for agents only."), label
        assert await _prompt(h, world.agent.person.user_id) is None
        async with h.db() as s:
            row = await s.get(Complaint, cid)
        assert row is not None and row.acknowledged_at is None and row.resolved_at is None


async def test_an_owners_buttons_replayed_by_another_owner_change_nothing(db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        owner, card, cid = await complaint_card(h, world.agent)
        other = h.owner(OWNERS[1])
        await other.bind()
        where = await _any_message_id(other)

        # The agent replies (the owner gets an "Answer" button) and resolves (a follow-up).
        await press(world.agent, card["message_id"], "回复")
        await world.agent.send("明天上门复查")
        relayed = await h.client.wait_for_message(h.token, owner.chat_id, contains="明天上门复查")
        await press(world.agent, card["message_id"], "已解决")
        follow_up = await h.client.wait_for_message(
            h.token, owner.chat_id, predicate=lambda m: "😊 满意" in str(m.get("reply_markup")))

        answer = await other.tap_data(where, data_of(follow_up, "😊"))
        assert answer.get("text") == ZH._("This question is for the owner who complained.")
        answer = await other.tap_data(where, data_of(relayed, "💬"))
        assert answer.get("text") == ZH._("This complaint no longer exists.")
        assert await _prompt(h, other.person.user_id) is None
        # Their next text is their own direct complaint, not a message on someone else's.
        receipt = await other.send("我家楼道灯也坏了")
        assert "投诉" in str(receipt["text"])
        async with h.db() as s:
            row = await s.get(Complaint, cid)
            messages = (await s.exec(select(ComplaintMessage.text).where(
                ComplaintMessage.complaint_id == cid))).all()
        assert row is not None and row.closed_at is None and row.satisfied is None
        assert list(messages) == ["明天上门复查"]


async def test_appeal_buttons_refuse_a_manager_of_another_community_at_the_tap(
    db_url: str
) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        _, _, cid = await complaint_card(h, world.agent)
        await add_community(db=h.db, code="haiyun", name="海韵")
        row = await add_manager(db=h.db, name=ELSEWHERE_MANAGER.name, community_code="haiyun")
        assert row.id is not None
        elsewhere = h.owner(ELSEWHERE_MANAGER)
        await elsewhere.send(f"/start {await invite(h, 'manager', row.id)}")
        await world.agent.send(f"/appeal {cid} 当天业主不在家")
        alert = await h.client.wait_for_message(
            h.token, world.manager.chat_id,
            predicate=lambda m: "支持" in str(m.get("reply_markup")))
        where = await _any_message_id(elsewhere)
        for label in ("支持", "驳回"):
            answer = await elsewhere.tap_data(where, data_of(alert, label))
            assert answer.get("text") == ZH._("This appeal belongs to another community."), label
        assert await _prompt(h, ELSEWHERE_MANAGER.user_id) is None

        # The community's own manager, deactivated meanwhile, is refused at the tap too.
        async with h.db() as s, s.begin():
            await s.exec(update(Manager).where(col(Manager.id) == world.manager_id)
                         .values(active=False))  # type: ignore[call-overload]
        answer = await world.manager.tap_data(alert["message_id"], data_of(alert, "支持"))
        assert answer.get("text") == ZH._("Sorry, this button is for managers only.")
        assert await _prompt(h, world.manager.person.user_id) is None
