"""PTB runtime glue: update parsing, webhook feed, dedupe, import isolation, failure paths."""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import pytest
from telegram import Update

from bot.ptb_app.updates import to_event
from tests.fixtures import chat


def _message(**fields: Any) -> dict[str, Any]:
    return {"update_id": 1, "message": {
        "message_id": 10, "date": int(time.time()),
        "chat": {"id": 7001, "type": "private", "first_name": "孙"},
        "from": {"id": 7001, "is_bot": False, "first_name": "孙", "language_code": "en"},
        **fields}}


def test_updates_become_commands_contacts_texts_taps_and_other() -> None:
    command = to_event(Update.de_json(_message(text="/start@ownervoice_bot tok-1"), None))
    assert command is not None and (command.kind, command.command, command.args) == (
        "command", "start", "tok-1")
    assert command.who.language_code == "en" and command.who.chat_id == 7001
    contact = to_event(Update.de_json(_message(contact={
        "phone_number": "+8613800138001", "first_name": "孙", "user_id": 7002}), None))
    assert contact is not None and contact.kind == "contact"
    assert (contact.phone, contact.contact_user_id) == ("+8613800138001", 7002)
    text = to_event(Update.de_json(_message(text="师傅很好"), None))
    assert text is not None and (text.kind, text.text, text.message_id) == ("text", "师傅很好", 10)
    sticker = to_event(Update.de_json(_message(sticker={
        "file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1, "height": 1,
        "is_animated": False, "is_video": False}), None))
    assert sticker is not None and (sticker.kind, sticker.content) == ("other", "sticker")
    tap = to_event(Update.de_json({"update_id": 2, "callback_query": {
        "id": "q1", "chat_instance": "c", "data": "r:1:o:5:sig",
        "from": {"id": 7001, "is_bot": False, "first_name": "孙"},
        "message": _message(text="问卷")["message"]}}, None))
    assert tap is not None and (tap.kind, tap.callback_id, tap.data, tap.message_id) == (
        "callback", "q1", "r:1:o:5:sig", 10)


def test_channel_posts_and_edits_give_no_event() -> None:
    edited = {"update_id": 3, "edited_message": _message(text="x")["message"]}
    assert to_event(Update.de_json(edited, None)) is None


async def test_webhook_feed_answers_once_per_update_id(db_url: str) -> None:
    async with chat.running_bot(db_url, runtime="ptb", app_options={"polling": False}) as h:
        await h.client.user(7001, "孙", language_code="en")
        update = _message(text="/help")
        update["update_id"] = 424242
        await h.app.runtime.feed_update(update)
        await h.app.runtime.feed_update(update)  # Telegram retried the webhook
        messages = await h.client.bot_messages(h.token, 7001)
        assert len(messages) == 1 and "/stop" in messages[0]["text"]


@pytest.mark.slow
def test_aiogram_runtime_never_imports_ptb(tmp_path: Any) -> None:
    code = (
        "import sys\n"
        "from bot.app import build_app\n"
        "from bot.config import Settings, TelegramConfig, DatabaseConfig\n"
        "s = Settings(telegram=TelegramConfig(token='1:x'), "
        f"database=DatabaseConfig(url='sqlite+aiosqlite:///{tmp_path}/x.db'))\n"
        "build_app(s, polling=False, serve_api=False, schedule=False)\n"
        "assert 'telegram' not in sys.modules, 'PTB imported'\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=str(__import__("pathlib").Path(__file__).parents[3]))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
