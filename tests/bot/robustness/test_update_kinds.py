"""Updates the bot may not expect: group chats, edits, channel posts, inline taps, captions."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from sqlmodel import select

from surveys.models import Owner
from tests.bot.robustness.conftest import NO_THROTTLE, polite
from tests.bot.roles.conftest import AGENT_A, staff_world
from tests.fixtures.chat import OWNERS, Harness, running_bot
from tests.fixtures.updates import message, next_id
from tests.fixtures.updates import user as _user

GROUP: dict[str, Any] = {"id": -1001234567890, "type": "supergroup", "title": "阳光花园业主群"}
SMALL_GROUP: dict[str, Any] = {"id": -4242, "type": "group", "title": "3号楼"}


async def feed(h: Harness, **body: Any) -> None:
    """Hand one update to the runtime as a webhook would, and wait until it is handled."""
    await h.app.runtime.feed_update({"update_id": next_id(), **body})


async def sends_to(h: Harness, chat_id: int) -> list[dict[str, Any]]:
    """Return every Bot API call the bot made towards a chat."""
    return [r for r in await h.client.requests(h.token)
            if str((r.get("params") or {}).get("chat_id")) == str(chat_id)]


async def test_group_messages_are_ignored_and_nothing_reaches_the_group(
        db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="bot.runtime")
    async with running_bot(db_url, app_options=NO_THROTTLE) as h:
        await staff_world(h)
        owner = OWNERS[0]
        for chat in (GROUP, SMALL_GROUP):
            for text in ("/me", "/complaints", "/report", "/help", "/start", "水管坏了没人修"):
                await feed(h, message=message(AGENT_A, chat, text=text))
            await feed(h, message=message(owner, chat, contact={
                "phone_number": owner.phone, "first_name": owner.name,
                "user_id": owner.user_id}))
            await feed(h, message=message(owner, chat, text="/complain 电梯又坏了"))
            assert await sends_to(h, chat["id"]) == []
        async with h.db() as s:
            row = (await s.exec(select(Owner).where(Owner.phone == owner.phone))).one()
        assert row.telegram_user_id is None
        assert [r for r in caplog.records if "failed" in r.getMessage()] == []


async def test_edits_channel_posts_and_membership_changes_are_skipped_quietly(
        db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="bot.runtime")
    async with running_bot(db_url, app_options=NO_THROTTLE) as h:
        await h.seed()
        person = OWNERS[0]
        session = h.owner(person)
        await session.bind()
        before = len(await session.messages())
        await feed(h, edited_message={**message(person, text="/stop"),
                                      "edit_date": int(time.time())})
        await feed(h, channel_post={"message_id": next_id(), "date": int(time.time()),
                                    "chat": {"id": -100777, "type": "channel", "title": "公告"},
                                    "text": "/start"})
        await feed(h, my_chat_member={
            "chat": {"id": person.user_id, "type": "private", "first_name": person.name},
            "from": _user(person), "date": int(time.time()),
            "old_chat_member": {"status": "member", "user": {"id": 123456789, "is_bot": True,
                                                             "first_name": "bot"}},
            "new_chat_member": {"status": "kicked", "until_date": 0,
                                "user": {"id": 123456789, "is_bot": True,
                                         "first_name": "bot"}}})
        assert len(await session.messages()) == before
        async with h.db() as s:
            row = (await s.exec(select(Owner).where(Owner.phone == person.phone))).one()
        assert row.opted_out is False  # the edited "/stop" was not obeyed
        assert [r for r in caplog.records if "failed" in r.getMessage()] == []


async def test_inline_tap_caption_location_and_foreign_contacts_get_polite_answers(
        db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="bot.runtime")
    async with running_bot(db_url, app_options=NO_THROTTLE) as h:
        await h.seed()
        person, other = OWNERS[0], OWNERS[1]
        session = h.owner(person)
        await session.send("/start")
        answers = len(await h.client.callback_answers(h.token))
        await feed(h, callback_query={"id": "inline-1", "from": _user(person),
                                      "chat_instance": "ci-1", "inline_message_id": "im-1",
                                      "data": "s:1:2:3:garbage"})
        sent = [r for r in await h.client.requests(h.token, "answerCallbackQuery")
                if (r.get("params") or {}).get("callback_query_id") == "inline-1"]
        assert len(sent) == 1 and len(await h.client.callback_answers(h.token)) >= answers
        photo = [{"file_id": "p1", "file_unique_id": "u1", "width": 1, "height": 1}]
        for content in ({"photo": photo}, {"location": {"latitude": 31.2, "longitude": 121.5}}):
            before = len(await session.messages())
            await feed(h, message=message(person, **content))
            replies = (await session.messages())[before:]
            assert len(replies) == 1
            assert polite(replies[0]) == "抱歉，我只能识别文字消息和按钮点击。"
        # A caption is the sender's words (tests/bot/robustness/test_captioned_media.py): a
        # photo or a file with one gets the note that it was not kept, then the text's answer.
        before = len(await session.messages())
        await feed(h, message=message(person, text="水管漏水，师傅没来"))
        typed = [polite(m) for m in (await session.messages())[before:]]
        document = {"file_id": "d1", "file_unique_id": "u2", "file_name": "漏水.pdf"}
        for media in ({"photo": photo}, {"document": document}):
            before = len(await session.messages())
            await feed(h, message=message(person, caption="水管漏水，师傅没来", **media))
            replies = [polite(m) for m in (await session.messages())[before:]]
            assert len(replies) == 1 + len(typed) and replies[1:] == typed
            assert "无法保存" in replies[0] and "您" in replies[0]
        for contact in ({"phone_number": other.phone, "first_name": other.name,
                         "user_id": other.user_id},  # someone else's card
                        {"phone_number": person.phone, "first_name": person.name}):  # forwarded
            before = len(await session.messages())
            await feed(h, message=message(person, contact=contact))
            polite((await session.messages())[before])
        async with h.db() as s:
            bound = (await s.exec(select(Owner).where(
                Owner.telegram_user_id.is_not(None)))).all()  # type: ignore[union-attr]
        assert bound == []
        assert [r for r in caplog.records if "failed" in r.getMessage()] == []
