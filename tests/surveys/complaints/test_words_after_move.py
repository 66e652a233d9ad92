"""Words the filer writes after her home moved to another account join her complaint on it.

陈女士 complains about 绿溪园, also holds a flat at 海韵 with the same phone (so the bot still
speaks with her about the complaint: `surveys.complaints.reach`), and 绿溪园 then moves to a
relative by invite. While the complaint is open, her next words join it as on a home she
holds: the agent is sent them, they are stored as her words on it, /forget erases them. The
relative's words never join it, and hers never join the relative's. A closed complaint takes
no words; with a complaint in hand on 海韵 too she is asked which home (docs/complaints.md).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from surveys.complaints.handling import reply_to_owner
from surveys.complaints.owner_steps import left_in_hand
from surveys.core.clock import FrozenClock
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.models import Complaint, ComplaintMessage, Owner
from surveys.outbox.payloads import ComplaintPayload
from surveys.survey.forget import forget_owner
from tests.fixtures.complaint_world import (
    AGENT_A_TG,
    NEW_OWNER_TG,
    OWNER_PHONE,
    OWNER_TG,
    World,
    add_order,
    all_complaints,
    complaint,
    move_home,
    outbox,
    resolve_and_answer,
)
from tests.fixtures.owner_texts import answer, choose, complain, say

MORE = "师傅还没来，漏水更严重了"  # read as a complaint
UNSURE = "今天下午家里有人"  # neutral: on its own it would be asked about


async def _filed_then_moved(db: SessionFactory, world: World, clock: FrozenClock, *,
                            other_home_phone: str = OWNER_PHONE) -> tuple[int, int]:
    """陈女士 files about 绿溪园, holds 海韵 2-202 too; 绿溪园 moves. Return (complaint, 海韵)."""
    await add_order(db, world)
    opened = await complain(db)
    assert opened.complaint_id is not None
    async with db() as s, s.begin():
        flat = Owner(community_id=world.other_community_id, name="陈女士",
                     phone=other_home_phone, building="2", room="202",
                     telegram_user_id=OWNER_TG, chat_id=OWNER_TG)
        s.add(flat)
        await s.flush()
        assert flat.id is not None
        flat_id = flat.id
    clock.advance(timedelta(minutes=10))
    await move_home(db, world.owner_id)
    return opened.complaint_id, flat_id


async def _owner_words(db: SessionFactory, complaint_id: int) -> list[str]:
    async with db() as s:
        return list((await s.exec(
            select(ComplaintMessage.text).where(
                col(ComplaintMessage.complaint_id) == complaint_id,
                col(ComplaintMessage.sender_role) == "owner")
            .order_by(col(ComplaintMessage.id)))).all())


async def _to_agent(db: SessionFactory) -> list[ComplaintPayload]:
    return [ComplaintPayload.of(row.payload)
            for row in await outbox(db, "complaint_owner_message")]


async def test_her_words_after_the_move_join_her_complaint_and_reach_its_agent(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    cid, _flat = await _filed_then_moved(db, world, clock)
    joined = await say(db, MORE)
    assert (joined.outcome, joined.complaint_id, joined.changed) == ("joined", cid, True)
    again = await say(db, MORE)  # the same words resent add nothing
    assert (again.outcome, again.complaint_id, again.changed) == ("joined", cid, False)
    assert await _owner_words(db, cid) == [MORE]
    assert [(p.complaint_id, p.reply_text) for p in await _to_agent(db)] == [(cid, MORE)]
    assert [c.id for c in await all_complaints(db)] == [cid]  # nothing opened on 海韵


async def test_an_unsure_text_of_hers_joins_instead_of_asking(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    cid, _flat = await _filed_then_moved(db, world, clock)
    joined = await say(db, UNSURE)
    assert (joined.outcome, joined.complaint_id) == ("joined", cid)
    assert await _owner_words(db, cid) == [UNSURE]


async def test_words_she_wrote_before_the_move_and_registers_after_it_join_her_complaint(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    await add_order(db, world)
    asked = await say(db, UNSURE)  # nothing in hand yet: "register as a complaint?"
    assert asked.outcome == "confirm"
    filed = await complain(db)
    assert filed.complaint_id is not None
    async with db() as s, s.begin():
        s.add(Owner(community_id=world.other_community_id, name="陈女士", phone=OWNER_PHONE,
                    building="2", room="202", telegram_user_id=OWNER_TG, chat_id=OWNER_TG))
    await move_home(db, world.owner_id)
    registered = await answer(db, asked, register=True)
    assert (registered.outcome, registered.complaint_id) == ("joined", filed.complaint_id)
    assert await _owner_words(db, filed.complaint_id) == [UNSURE]


async def test_the_relatives_words_never_join_her_complaint_nor_hers_the_relatives(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    cid, _flat = await _filed_then_moved(db, world, clock)
    theirs = await complain(db, "楼道灯不亮好几天了", user=NEW_OWNER_TG)
    assert theirs.outcome == "opened" and theirs.complaint_id != cid
    assert (await say(db, "楼道灯还是不亮", user=NEW_OWNER_TG)).complaint_id == theirs.complaint_id
    assert (await say(db, MORE)).complaint_id == cid
    assert await _owner_words(db, cid) == [MORE]
    assert theirs.complaint_id is not None
    assert await _owner_words(db, theirs.complaint_id) == ["楼道灯还是不亮"]


async def test_a_closed_complaint_on_the_moved_home_takes_no_more_words(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    cid, flat = await _filed_then_moved(db, world, clock)
    await resolve_and_answer(db, cid, satisfied=True)
    later = await say(db, MORE)  # a new matter for 海韵: opened, or asked about first
    assert later.outcome != "joined" and later.complaint_id != cid
    assert {c.owner_id for c in await all_complaints(db) if c.id != cid} <= {flat}
    assert (await complaint(db, cid)).status == "closed_satisfied"
    assert await _owner_words(db, cid) == []


async def test_with_a_complaint_in_hand_on_each_home_she_is_asked_which_and_can_pick_the_moved_one(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    cid, flat = await _filed_then_moved(db, world, clock)
    await add_order(db, world, owner_id=flat)
    here = await complain(db, "海韵的门禁坏了")
    assert here.outcome == "opened" and here.complaint_id != cid
    asked = await say(db, MORE)
    assert asked.outcome == "choose_home"
    assert [(h.owner_id, h.label.split()[0]) for h in asked.homes] == [
        (flat, "海韵"), (world.owner_id, "绿溪园")]  # the moved home, named, last
    picked = await choose(db, asked, world.owner_id)
    assert (picked.outcome, picked.complaint_id) == ("joined", cid)
    assert (await choose(db, asked, world.owner_id)).changed is False  # a double tap
    assert await _owner_words(db, cid) == [MORE]
    assert here.complaint_id is not None
    assert await _owner_words(db, here.complaint_id) == []


async def test_a_moved_home_whose_complaint_closed_meanwhile_is_not_taken_when_tapped(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    cid, flat = await _filed_then_moved(db, world, clock)
    await add_order(db, world, owner_id=flat)
    await complain(db, "海韵的门禁坏了")
    asked = await say(db, MORE)
    await resolve_and_answer(db, cid, satisfied=True)
    gone = await choose(db, asked, world.owner_id)
    assert gone.outcome == "home_left"
    assert [h.owner_id for h in gone.homes] == [flat]  # asked again among the homes left
    assert await _owner_words(db, cid) == []


async def test_her_words_do_not_join_when_the_bot_no_longer_speaks_with_her_about_it(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    # Her other flat is under another phone: the agent is asked to call her (homes4), so
    # words in chat are not taken as that complaint's.
    cid, _flat = await _filed_then_moved(db, world, clock, other_home_phone="13700001111")
    later = await say(db, MORE)
    assert later.complaint_id != cid
    assert await _owner_words(db, cid) == []


async def test_forget_erases_her_joined_words_from_the_complaint_and_the_agents_message(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    cid, _flat = await _filed_then_moved(db, world, clock)
    assert (await say(db, MORE)).complaint_id == cid
    async with db() as s, s.begin():  # the registry now has the relative's phone on that home
        moved = await s.get(Owner, world.owner_id)
        assert moved is not None
        moved.phone = "13900139000"
    assert await forget_owner(db=db, telegram_user_id=OWNER_TG) is not None
    assert await _owner_words(db, cid) == [""]
    assert [p.reply_text for p in await _to_agent(db)] == [None]
    replied = await reply_to_owner(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG,
                                   text="师傅明天上午来修")
    assert not replied.owner_told


async def test_when_the_home_comes_back_to_her_her_words_join_her_complaint_again(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    cid, flat = await _filed_then_moved(db, world, clock)
    clock.advance(timedelta(days=4))  # past `join_hours`: in hand by its order and agent
    await move_home(db, world.owner_id, to=OWNER_TG)  # the office moves it back
    asked = await say(db, MORE)  # two homes again, one complaint in hand: no question
    assert (asked.outcome, asked.complaint_id) == ("joined", cid)
    assert flat not in {c.owner_id for c in await all_complaints(db)}


async def test_her_complaints_left_in_hand_are_found_in_queries_that_do_not_grow_with_them(
        db: SessionFactory, engine: AsyncEngine, world: World, clock: FrozenClock) -> None:
    # One look per home that moved, however many complaints of hers are open on it (before:
    # one "does the bot still speak with her about it?" query per complaint).
    cid, _flat = await _filed_then_moved(db, world, clock)
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    async def looked_up() -> tuple[list[int | None], int]:
        statements.clear()
        event.listen(engine.sync_engine, "before_cursor_execute", seen)
        try:
            async with db() as s:
                found = await left_in_hand(s, OWNER_TG, ComplaintConfig())
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", seen)
        return [c.id for _home, c in found], len(statements)

    one, with_one = await looked_up()
    async with db() as s, s.begin():
        filed = await s.get(Complaint, cid)
        assert filed is not None
        for minutes in range(1, 6):  # five older ones of hers, open, on the same home
            s.add(Complaint(**filed.model_dump(exclude={"id", "opened_at"}),
                            opened_at=filed.opened_at - timedelta(minutes=minutes)))
    many, with_six = await looked_up()
    assert one == many == [cid]  # the newest in hand, as before
    assert with_six == with_one
