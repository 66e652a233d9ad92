"""An owner whose chat Telegram refuses for good is marked, and not tried again until he writes.

Telegram answers 403 when the owner blocked the bot or deleted the account, and 400 "chat
not found" when the chat is gone: every later message is refused the same way. The first
refusal gives the survey up (undeliverable: the 回访 staff call instead) and marks the owner;
his next surveys are given up without a Bot API call; /start — what Telegram's "Restart"
button sends after unblocking — or anything else he sends the bot brings him back, without a
database write for owners who were never marked. A refusal of one message (a bad text) is
no reason to stop writing to him.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import event
from sqlmodel import col, select

from surveys.models import Owner, Survey
from tests.fixtures.chat import OWNERS, Harness, running_bot

PERSON = OWNERS[0]


async def _sends_to(h: Harness, chat_id: int) -> int:
    return sum(str((r.get("params") or {}).get("chat_id")) == str(chat_id)
               for r in await h.client.requests(h.token, "sendMessage"))


async def _statuses(h: Harness) -> list[str]:
    async with h.db() as s:
        return [x.status for x in (await s.exec(select(Survey).order_by(col(Survey.id)))).all()]


async def _owner(h: Harness) -> Owner:
    async with h.db() as s:
        return (await s.exec(select(Owner).where(Owner.phone == PERSON.phone))).one()


async def test_a_blocked_owner_is_not_tried_again_until_he_writes_start(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(PERSON)
        await owner.bind()
        await h.client.block(h.token, PERSON.user_id)
        await h.close_order(PERSON, "WO-BLOCKED-1")
        await h.outbox_idle()
        tries = await _sends_to(h, PERSON.user_id)
        assert (await _owner(h)).unreachable_since is not None
        await h.close_order(PERSON, "WO-BLOCKED-2")
        await h.outbox_idle()
        assert await _statuses(h) == ["undeliverable", "undeliverable"]
        assert await _sends_to(h, PERSON.user_id) == tries  # given up without a call

        await h.client.unblock(h.token, PERSON.user_id)
        welcome = await owner.send("/start")
        assert "欢迎回来" in welcome["text"]
        assert (await _owner(h)).unreachable_since is None
        await h.close_order(PERSON, "WO-BLOCKED-3")
        await owner.wait_survey()
        assert (await _statuses(h))[-1] == "sent"


@pytest.mark.parametrize(("status", "description", "marked"), [
    (403, "Forbidden: user is deactivated", True),
    (400, "Bad Request: chat not found", True),
    (400, "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 0",
     False),
])
async def test_only_a_refusal_of_the_chat_itself_marks_the_owner(
        db_url: str, status: int, description: str, marked: bool) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        await h.owner(PERSON).bind()
        await h.client.inject_fault("sendMessage", "status", status=status,
                                    description=description)
        await h.close_order(PERSON, "WO-REFUSED-1")
        await h.outbox_idle()
        assert ((await _owner(h)).unreachable_since is not None) is marked
        before = await _sends_to(h, PERSON.user_id)
        await h.close_order(PERSON, "WO-REFUSED-2")
        await h.outbox_idle()
        after = await _sends_to(h, PERSON.user_id)
        assert await _statuses(h) == ["undeliverable", "undeliverable" if marked else "sent"]
        assert after - before == (0 if marked else 1)


async def test_a_reply_refused_because_the_owner_just_blocked_the_bot_is_let_go_quietly(
        db_url: str, errors_logged: Callable[[], list[str]]) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(PERSON)
        await owner.bind()
        before = await _sends_to(h, PERSON.user_id)
        await h.client.inject_fault("sendMessage", "status", status=403, count=3,
                                    description="Forbidden: bot was blocked by the user")
        await h.client.send_text(h.token, PERSON.user_id, "/help")
        await asyncio.sleep(1.5)
        tries = await _sends_to(h, PERSON.user_id) - before
        marked = (await _owner(h)).unreachable_since is not None
        await h.client.clear_faults()
    assert (tries, marked, errors_logged()) == (1, True, [])  # no failure message sent after it


@pytest.mark.parametrize("writes", [
    pytest.param(lambda h: h.client.send_text(h.token, PERSON.user_id, "/help"), id="a-command"),
    pytest.param(lambda h: h.client.send_sticker(h.token, PERSON.user_id), id="a-sticker"),
])
async def test_a_blocked_owner_who_writes_anything_is_surveyed_again(
        db_url: str, writes: Callable[[Harness], Awaitable[object]]) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(PERSON)
        await owner.bind()
        await h.client.block(h.token, PERSON.user_id)
        await h.close_order(PERSON, "WO-BLOCKED-1")
        await h.outbox_idle()
        assert (await _owner(h)).unreachable_since is not None

        await h.client.unblock(h.token, PERSON.user_id)
        before = len(await owner.messages())
        await writes(h)
        await h.client.wait_for(h.token, PERSON.user_id, count=before + 1)  # his answer
        assert (await _owner(h)).unreachable_since is None
        await h.close_order(PERSON, "WO-BLOCKED-2")
        await owner.wait_survey()
        assert await _statuses(h) == ["undeliverable", "sent"]


async def test_a_message_from_an_owner_never_marked_writes_nothing_to_his_row(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(PERSON)
        await owner.bind()
        statements: list[str] = []

        def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
            statements.append(statement)

        engine = h.db.kw["bind"].sync_engine
        event.listen(engine, "before_cursor_execute", seen)
        try:
            await owner.send("/help")
        finally:
            event.remove(engine, "before_cursor_execute", seen)
    assert any("FROM owner" in s for s in statements)  # the identity was read
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE OWNER")]
