"""Input the bot cannot use gets a short polite reply and changes nothing."""

from __future__ import annotations

import time

from tests.fixtures.chat import OWNERS, running_bot


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


async def test_a_complaint_typed_on_the_line_after_the_command_is_registered(db_url: str
                                                                           ) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(OWNERS[0])
        await owner.bind()
        receipt = await owner.send("/complain\n楼上漏水到我家卫生间，已经三天了")
        assert "已登记" in receipt["text"], receipt["text"]
        help_text = await owner.send("/help\u3000")  # a Chinese IME's full-width space
        assert "/stop" in help_text["text"]


async def test_a_command_addressed_to_another_bot_does_nothing_here(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        owner = h.owner(OWNERS[0])
        await owner.bind()
        me = await h.client.call("bot", token=h.token)
        before = len(await owner.messages())
        for text in ("/stop@OtherBot", "/forget@OtherBot yes", "/help@OtherBot"):
            await h.client.send_text(h.token, owner.chat_id, text)
        # The bot answers the next message addressed to it, and nothing before it.
        reply = await owner.send(f"/help@{me['username']}")
        messages = await owner.messages()
        assert len(messages) == before + 1 and messages[-1] == reply
        assert "/stop" in reply["text"]
        await h.close_order(OWNERS[0])
        assert "满意度回访" in (await owner.wait_survey())["text"]  # still bound, not opted out
