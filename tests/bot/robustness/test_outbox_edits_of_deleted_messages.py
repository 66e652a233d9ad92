"""Outbox edits of a message the owner deleted: sent afresh when they carry news, done when
they only take buttons away.

A reply edit Telegram kept refusing with 429 waits in the outbox (`bot.runtime.perform`).
If the owner deletes the card meanwhile, the edit is refused for good ("message to edit not
found"). What the owner did is stored, so the card is sent afresh, as the chat path does, and
the survey follows it. An expiry of a card that no longer exists has nothing to remove: it is
done, not a failure for the operator to look into.
"""

from __future__ import annotations

import asyncio
import importlib
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from surveys.core.clock import FrozenClock
from surveys.models import OutboxMessage, Survey
from tests.bot.robustness.conftest import polite
from tests.fixtures.chat import button_texts, callback_of, running_bot

Message = dict[str, Any]


async def _after_the_wait(h: Any, clock: FrozenClock, chat_id: int, *, count: int) -> Message:
    """Let the outbox's 429 waits pass (its clock is frozen) until the chat shows `count`
    of the bot's messages; return the last."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        shown = await h.client.bot_messages(h.token, chat_id)  # not the deleted ones
        if len(shown) >= count:
            return shown[count - 1]
        clock.advance(timedelta(seconds=4))
        h.app.wake_dispatcher()
        await asyncio.sleep(0.5)
    raise TimeoutError(f"chat {chat_id}: {count} bot messages wanted; it shows {shown}")


async def test_a_star_edit_queued_in_the_outbox_reaches_an_owner_who_deleted_the_card_once(
        db_url: str, clock: FrozenClock, errors_logged: Callable[[], list[str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    # bot.runtime re-exports the function `perform`, which hides the module of that name.
    monkeypatch.setattr(importlib.import_module("bot.runtime.perform"), "MAX_WAIT_SECONDS", 0.5)
    async with running_bot(db_url) as h:
        owner, _result, card = await h.surveyed_owner(title="电梯异响")
        before = len(await owner.messages())
        # Telegram asks the bot to wait (3 s, longer than a tap may): the star edit goes to the
        # outbox, whose first try is asked to wait too; the owner deletes the card meanwhile.
        await h.client.inject_fault("editMessageText", "retry_after", count=2, retry_after=3)
        await owner.tap_data(card["message_id"], callback_of(card, "4⭐"))
        await h.client.delete_by_user(h.token, owner.chat_id, card["message_id"])
        fresh = await _after_the_wait(h, clock, owner.chat_id, count=before)
        await h.outbox_idle()
        async with h.db() as s:
            recorded = (await s.exec(select(Survey))).one().message_id
            edits = (await s.exec(select(OutboxMessage).where(
                OutboxMessage.kind == "text"))).all()
        clock.advance(timedelta(days=8))
        assert await h.app.run_job("expiry") == 1
        expired = await h.client.wait_for_message(h.token, owner.chat_id, contains="已过期")
        await h.outbox_idle()
        shown = await owner.messages()
    assert fresh["message_id"] != card["message_id"]
    assert "1⭐" in button_texts(fresh) and "★★★★☆" in polite(fresh)  # live, next question
    assert [row.status for row in edits] == ["sent"]
    assert recorded == fresh["message_id"]  # the survey follows the card the owner can see
    assert expired["message_id"] == fresh["message_id"] and button_texts(expired) == []
    assert len(shown) == before  # the deleted card gone, one fresh card, no second copy
    assert errors_logged() == []


async def test_the_expiry_of_a_card_the_owner_deleted_is_done_with_nothing_to_remove(
        db_url: str, clock: FrozenClock, errors_logged: Callable[[], list[str]]) -> None:
    async with running_bot(db_url) as h:
        owner, _result, card = await h.surveyed_owner(title="电梯异响")
        await h.client.delete_by_user(h.token, owner.chat_id, card["message_id"])
        before = len(await owner.messages())
        clock.advance(timedelta(days=8))
        assert await h.app.run_job("expiry") == 1
        await h.outbox_idle()
        async with h.db() as s:
            expiry = (await s.exec(select(OutboxMessage).where(
                OutboxMessage.kind == "survey_expired"))).one()
        shown = await owner.messages()
    assert (expiry.status, expiry.last_error) == ("sent", None)  # not a failure to look into
    assert len(shown) == before  # nothing sent in its place: an expired card has no news
    assert errors_logged() == []
