"""Errors come back in Telegram's exact shape, whatever encoding the request used."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp
import pytest

from bot.emulator import EmulatorError, EmulatorServer, running_emulator
from tests.bot.emulator.conftest import TOKEN, USER_ID

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


async def call(emu: EmulatorServer, method: str, token: str = TOKEN, form: bool = False,
               **params: Any) -> tuple[int, dict[str, Any]]:
    url = f"{emu.base_url}/bot{token}/{method}"
    async with aiohttp.ClientSession() as http:
        if form:
            data = {k: json.dumps(v) if isinstance(v, dict | list) else str(v)
                    for k, v in params.items()}
            response = await http.post(url, data=data)
        else:
            response = await http.post(url, json=params)
        async with response:
            return response.status, await response.json()


async def test_malformed_token_is_unauthorized(emu: EmulatorServer) -> None:
    assert await call(emu, "getMe", token="not-a-token") == (
        401, {"ok": False, "error_code": 401, "description": "Unauthorized"})


async def test_unknown_method_is_not_found_and_names_are_case_insensitive(
        emu: EmulatorServer) -> None:
    assert await call(emu, "fly") == (
        404, {"ok": False, "error_code": 404, "description": "Not Found"})
    status, body = await call(emu, "GETME")
    assert status == 200 and body["result"]["is_bot"] is True


async def test_form_encoded_reply_markup_is_decoded(emu: EmulatorServer) -> None:
    keyboard = {"keyboard": [[{"text": "分享手机号", "request_contact": True}]],
                "resize_keyboard": True}
    status, body = await call(emu, "sendMessage", form=True, chat_id=USER_ID, text="绑定",
                              reply_markup=keyboard)
    assert status == 200 and "reply_markup" not in body["result"]  # only inline ones show
    [message] = await emu.client.chat(TOKEN, USER_ID)
    assert message["reply_markup"] == keyboard


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"chat_id": 42, "text": "x"}, "Bad Request: chat not found"),
        ({"chat_id": USER_ID, "text": "  "}, "Bad Request: message text is empty"),
        ({"chat_id": USER_ID}, "Bad Request: message text is empty"),
        ({"chat_id": USER_ID, "text": "长" * 4097}, "Bad Request: message is too long"),
        ({"chat_id": USER_ID, "text": "<b>x", "parse_mode": "HTML"},
         'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"'),
        ({"chat_id": USER_ID, "text": "x",
          "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "d" * 65}]]}},
         "Bad Request: BUTTON_DATA_INVALID"),
        ({"chat_id": USER_ID, "text": "x", "reply_markup": {"inline_keyboard": [
            [{"text": str(i), "callback_data": str(i)}] for i in range(101)]}},
         "Bad Request: reply markup is too long"),
    ],
)
async def test_send_message_rejects_what_telegram_rejects(
        emu: EmulatorServer, params: dict[str, Any], description: str) -> None:
    status, body = await call(emu, "sendMessage", **params)
    assert (status, body) == (400, {"ok": False, "error_code": 400, "description": description})


async def test_a_keyboard_of_a_hundred_buttons_is_accepted(emu: EmulatorServer) -> None:
    rows = [[{"text": str(i), "callback_data": str(i)} for i in range(j, j + 4)]
            for j in range(0, 100, 4)]
    status, _ = await call(emu, "sendMessage", chat_id=USER_ID, text="x",
                           reply_markup={"inline_keyboard": rows})
    assert status == 200


async def test_a_4096_character_message_is_accepted(emu: EmulatorServer) -> None:
    status, _ = await call(emu, "sendMessage", chat_id=USER_ID, text="长" * 4096)
    assert status == 200


async def test_edits_of_missing_or_unchanged_messages_fail(emu: EmulatorServer) -> None:
    _, sent = await call(emu, "sendMessage", chat_id=USER_ID, text="a")
    message_id = sent["result"]["message_id"]
    assert (await call(emu, "editMessageText", chat_id=USER_ID, message_id=99, text="b"))[1][
        "description"] == "Bad Request: message to edit not found"
    status, body = await call(emu, "editMessageText", chat_id=USER_ID, message_id=message_id,
                              text="a")
    assert (status, body["description"]) == (400, NOT_MODIFIED)
    status, body = await call(emu, "editMessageReplyMarkup", chat_id=USER_ID,
                              message_id=message_id)
    assert (status, body["description"]) == (400, NOT_MODIFIED)
    assert (await call(emu, "deleteMessage", chat_id=USER_ID, message_id=message_id))[0] == 200
    assert (await call(emu, "editMessageText", chat_id=USER_ID, message_id=message_id,
                       text="c"))[1]["description"] == "Bad Request: message to edit not found"
    [message] = await emu.client.chat(TOKEN, USER_ID)
    assert message["deleted"] is True


async def test_unknown_callback_query_is_too_old(emu: EmulatorServer) -> None:
    status, body = await call(emu, "answerCallbackQuery", callback_query_id="123")
    assert status == 400
    assert body["description"] == ("Bad Request: query is too old and response timeout "
                                   "expired or query ID is invalid")


async def test_per_bot_flood_limit_gives_429_with_retry_after(emu: EmulatorServer) -> None:
    for user_id in range(1, 6):
        await emu.client.user(user_id, f"u{user_id}")
    await emu.client.set_flood_limits(True, per_bot=3, per_chat=100, burst_bot=3,
                                      burst_chat=100)
    statuses = [(await call(emu, "sendMessage", chat_id=u, text="x"))[0] for u in range(1, 6)]
    assert statuses[:3] == [200, 200, 200] and 429 in statuses[3:]
    _, body = await call(emu, "sendMessage", chat_id=1, text="x")
    assert body == {"ok": False, "error_code": 429, "description": "Too Many Requests: retry "
                    f"after {body['parameters']['retry_after']}", "parameters": {
                        "retry_after": body["parameters"]["retry_after"]}}
    assert body["parameters"]["retry_after"] >= 1
    assert (await emu.client.stats(TOKEN))["too_many_requests"] >= 2


async def test_delay_fault_hangs_then_answers(emu: EmulatorServer) -> None:
    await emu.client.inject_fault("getMe", "delay", delay=0.5)
    started = time.monotonic()
    status, _ = await call(emu, "getMe")
    assert status == 200 and time.monotonic() - started >= 0.5


async def test_drop_after_sends_the_message_but_loses_the_answer(emu: EmulatorServer) -> None:
    await emu.client.inject_fault("sendMessage", "drop_after")
    with pytest.raises(aiohttp.ClientError):
        await call(emu, "sendMessage", chat_id=USER_ID, text="sent anyway")
    await emu.client.wait_for(TOKEN, USER_ID, text="sent anyway", timeout=5)
    [logged] = await emu.client.requests(TOKEN, "sendmessage")
    assert logged["fault"] == "drop_after" and logged["params"]["text"] == "sent anyway"


async def test_tap_button_names_the_buttons_when_the_label_is_absent(emu: EmulatorServer
                                                                     ) -> None:
    _, sent = await call(emu, "sendMessage", chat_id=USER_ID, text="?", reply_markup={
        "inline_keyboard": [[{"text": "满意", "callback_data": "ok"}]]})
    with pytest.raises(EmulatorError, match="满意"):
        await emu.client.tap_button(TOKEN, USER_ID, sent["result"]["message_id"], "不满意")


async def test_forged_contact_carries_another_user_id(emu: EmulatorServer) -> None:
    update = await emu.client.share_contact(TOKEN, USER_ID, "+8613800000000",
                                            contact_user_id=777)
    contact = update["message"]["contact"]
    assert contact["user_id"] == 777 and update["message"]["from"]["id"] == USER_ID


async def test_wait_for_times_out_with_the_chat_shown(emu: EmulatorServer) -> None:
    await emu.client.send_text(TOKEN, USER_ID, "没人回答")
    with pytest.raises(TimeoutError, match="没人回答"):
        await emu.client.wait_for(TOKEN, USER_ID, timeout=0.2)


async def test_latency_slows_every_answer(emu: EmulatorServer) -> None:
    await emu.client.set_latency(0.3)
    started = time.monotonic()
    await asyncio.gather(call(emu, "getMe"), call(emu, "getMe"))
    assert time.monotonic() - started >= 0.3


async def test_require_start_forbids_writing_first_until_the_user_writes() -> None:
    async with running_emulator(require_start=True) as server:
        await server.client.user(USER_ID, "王")
        status, body = await call(server, "sendMessage", chat_id=USER_ID, text="你好")
        assert (status, body["description"]) == (
            403, "Forbidden: bot can't initiate conversation with a user")
        await server.client.send_text(TOKEN, USER_ID, "/start")
        assert (await call(server, "sendMessage", chat_id=USER_ID, text="你好"))[0] == 200


async def test_control_api_reports_unknown_messages_clearly(emu: EmulatorServer) -> None:
    with pytest.raises(EmulatorError, match="no message 9 in chat"):
        await emu.client.tap(TOKEN, USER_ID, 9, "x")
    with pytest.raises(EmulatorError, match="no update 1"):
        await emu.client.redeliver(TOKEN, 1)


async def test_reset_forgets_users_but_keeps_the_start_options() -> None:
    async with running_emulator(flood_limits=True) as server:
        await server.client.user(USER_ID, "王")
        await server.client.set_flood_limits(False)
        await server.client.reset()
        assert (await call(server, "sendMessage", chat_id=USER_ID, text="x"))[1][
            "description"] == "Bad Request: chat not found"
        assert server.state.flood.enabled


async def test_a_tap_answer_over_200_characters_is_refused_as_telegram_refuses_it(
        emu: EmulatorServer) -> None:
    _, sent = await call(emu, "sendMessage", chat_id=USER_ID, text="?", reply_markup={
        "inline_keyboard": [[{"text": "满意", "callback_data": "ok"}]]})
    message_id = sent["result"]["message_id"]
    first = await emu.client.tap(TOKEN, USER_ID, message_id, "ok")
    status, body = await call(emu, "answerCallbackQuery",
                              callback_query_id=first["callback_query"]["id"], text="长" * 201)
    assert (status, body["description"]) == (400, "Bad Request: MESSAGE_TOO_LONG")
    second = await emu.client.tap(TOKEN, USER_ID, message_id, "ok")
    status, _ = await call(emu, "answerCallbackQuery",
                           callback_query_id=second["callback_query"]["id"], text="长" * 200)
    assert status == 200
