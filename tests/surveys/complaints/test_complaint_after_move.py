"""A complaint filed before its home moved to another Telegram account is not that account's:
the agent's words and the follow-up question are not sent to it, it can neither write on the
complaint nor answer for it, and staff may close it as unreachable at once. Complaints the new
account files itself are its own as usual."""

from __future__ import annotations

from datetime import timedelta

import pytest

from surveys.complaints.handling import owner_message, record_follow_up, reply_to_owner, resolve
from surveys.complaints.queries import get_complaint
from surveys.complaints.unreachable_close import close_unreachable
from surveys.core.clock import FrozenClock
from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, Forbidden, NotFound
from tests.fixtures.complaint_world import (
    AGENT_A_TG,
    NEW_OWNER_TG,
    World,
    add_order,
    complaint,
    move_home,
    outbox,
)
from tests.fixtures.owner_texts import complain


async def _filed_then_moved(db: SessionFactory, world: World, clock: FrozenClock) -> int:
    """陈女士 files a complaint about agent A's order; ten minutes later 绿溪园 moves."""
    await add_order(db, world)
    opened = await complain(db)
    assert opened.complaint_id is not None
    clock.advance(timedelta(minutes=10))
    await move_home(db, world.owner_id)
    return opened.complaint_id


async def _sent_to_new_account(db: SessionFactory) -> list[str]:
    return [row.kind for row in await outbox(db) if row.chat_id == NEW_OWNER_TG]


async def test_the_agents_words_and_the_follow_up_are_not_sent_to_the_new_account(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    cid = await _filed_then_moved(db, world, clock)
    replied = await reply_to_owner(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG,
                                   text="师傅明天上午来修")
    resolved = await resolve(db=db, complaint_id=cid, agent_telegram_user_id=AGENT_A_TG)
    assert (replied.owner_told, resolved.owner_told) == (False, False)
    assert (replied.home_moved, resolved.home_moved) == (True, True)  # the reason given
    assert resolved.view.status == "resolved"  # nobody could be asked "satisfied?"
    assert await _sent_to_new_account(db) == []


async def test_the_new_account_can_neither_read_write_on_nor_answer_for_the_complaint(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    cid = await _filed_then_moved(db, world, clock)
    with pytest.raises(Forbidden) as answered:
        await record_follow_up(db=db, complaint_id=cid, owner_telegram_user_id=NEW_OWNER_TG,
                               satisfied=True, follow_up_round=0)
    assert answered.value.code == ErrorCode.FOLLOW_UP_NOT_OWNER
    with pytest.raises(NotFound):
        await owner_message(db=db, complaint_id=cid, owner_telegram_user_id=NEW_OWNER_TG,
                            text="这不是我的投诉")
    with pytest.raises(Forbidden):  # as for any complaint not theirs
        await get_complaint(db=db, complaint_id=cid, viewer_telegram_user_id=NEW_OWNER_TG)


async def test_a_follow_up_asked_before_the_move_may_be_closed_as_unreachable_at_once(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    await add_order(db, world)
    opened = await complain(db)
    assert opened.complaint_id is not None
    asked = await resolve(db=db, complaint_id=opened.complaint_id,
                          agent_telegram_user_id=AGENT_A_TG)
    assert asked.view.status == "follow_up"  # asked the account that filed it
    clock.advance(timedelta(minutes=10))
    await move_home(db, world.owner_id)  # that account can no longer answer
    closed = await close_unreachable(db=db, complaint_id=opened.complaint_id, role="manager",
                                     staff_id=world.manager_all, note="电话联系原业主未接通",
                                     config=ComplaintConfig())
    assert closed.changed
    assert (await complaint(db, opened.complaint_id)).status == "closed_unreachable"


async def test_a_complaint_the_new_account_files_itself_is_its_own(
        db: SessionFactory, world: World, clock: FrozenClock) -> None:
    await _filed_then_moved(db, world, clock)
    own = await complain(db, "门禁坏了，一直没人修", user=NEW_OWNER_TG)
    assert own.complaint_id is not None
    replied = await reply_to_owner(db=db, complaint_id=own.complaint_id,
                                   agent_telegram_user_id=AGENT_A_TG, text="师傅明天上午来修")
    assert replied.owner_told
    assert await _sent_to_new_account(db) == ["complaint_reply"]
