"""Input the bot cannot use gets a short polite reply and changes nothing."""

from __future__ import annotations

import time

from sqlmodel import select

from bot.conversation.throttle import Throttle
from surveys.models import Owner, Response
from tests.fixtures.chat import OWNERS, STRANGER, running_bot


async def test_sticker_photo_and_voice_get_a_polite_reply(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(OWNERS[0])
        await owner.bind()
        sticker = await owner.send_update("send_sticker")
        photo = await owner.send_update("send_photo")
        before = len(await owner.messages())
        await h.client.send_raw(h.token, {"message": {
            "message_id": 9001, "date": int(time.time()),
            "chat": {"id": owner.chat_id, "type": "private", "first_name": "张伟"},
            "from": {"id": owner.chat_id, "is_bot": False, "first_name": "张伟",
                     "language_code": "zh-hans"},
            "voice": {"file_id": "voice-1", "file_unique_id": "v1", "duration": 3},
        }})
        voice = (await h.client.wait_for(h.token, owner.chat_id, count=before + 1))[before]
        for reply in (sticker, photo, voice):
            assert "只能识别文字消息" in reply["text"]


async def test_five_thousand_characters_are_refused_without_storing(db_url: str) -> None:
    async with running_bot(db_url) as h:
        owner, result, survey = await h.surveyed_owner(OWNERS[0])
        await owner.rate(survey["message_id"], 4, 4, 4, 4)
        reply = await owner.send("好" * 5000)
        assert "太长" in reply["text"]
        async with h.db() as s:
            response = (await s.exec(select(Response).where(
                Response.survey_id == result.survey_id))).one()
        assert response.comment is None and response.submitted_at is None


async def test_unknown_command_and_unbound_user_get_polite_replies(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        stranger = h.owner(STRANGER)
        unknown = await stranger.send("/frobnicate")
        assert "不认识这个命令" in unknown["text"]
        chatter = await stranger.send("你好，我家水管坏了")
        assert "/start" in chatter["text"] and "绑定" in chatter["text"]
        stop = await stranger.send("/stop")
        assert "绑定" in stop["text"]
        async with h.db() as s:
            bound = (await s.exec(select(Owner).where(Owner.telegram_user_id.is_not(None)))).all()  # type: ignore[union-attr]
        assert bound == []


async def test_flooding_user_is_asked_to_slow_down_once(db_url: str) -> None:
    throttle = Throttle(capacity=3, rate=0.01)
    async with running_bot(db_url, app_options={
            "conversation_options": {"throttle": throttle}}) as h:
        await h.seed()
        owner = h.owner(OWNERS[0])
        await owner._register()
        for n in range(6):
            await h.client.send_text(h.token, owner.chat_id, f"/help {n}")
        await h.client.wait_for(h.token, owner.chat_id, count=4)
        await owner.h.client.send_text(h.token, OWNERS[1].user_id, "/help")  # other users
        await h.client.wait_for(h.token, OWNERS[1].user_id, count=1)
        texts = [m["text"] for m in await owner.messages()]
        assert len(texts) == 4
        assert sum("稍等" in t for t in texts) == 1


async def test_unexpected_error_becomes_the_generic_polite_message(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(OWNERS[0])
        await owner.bind()
        await h.app.engine.dispose()
        async with h.app.engine.begin() as conn:  # break the database under the running bot
            await conn.exec_driver_sql("DROP TABLE processed_update")
        reply = await owner.send("/help")
        assert "系统暂时出了点问题" in reply["text"]
        assert "Traceback" not in reply["text"]
