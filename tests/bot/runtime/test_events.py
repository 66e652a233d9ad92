"""Parsing messages into runtime-neutral events, the same for aiogram and PTB."""

from __future__ import annotations

import pytest

from bot.conversation.actions import Inbound
from bot.runtime.events import message_event, split_command
from bot.runtime.handle import bot_id_from_token

WHO = Inbound(user_id=1, chat_id=1, language_code="zh-hans")


@pytest.mark.parametrize(("text", "expected"), [
    ("/start", ("start", "")),
    ("/start abc-123_XY", ("start", "abc-123_XY")),
    ("/report  2026-W47 ", ("report", "2026-W47")),
    ("/help@ownervoice_bot", ("help", "")),
    ("/", None),
    ("hello /start", None),
    ("／start", None),  # a full-width slash is text, not a command
    # The command ends at any space: a new line, or the full-width space of a Chinese IME.
    ("/complain\n楼上漏水\n已经三天了", ("complain", "楼上漏水\n已经三天了")),
    ("/report\u3000month", ("report", "month")),
    ("/agent\u00a0王晓梅 week", ("agent", "王晓梅 week")),
    ("/help\n", ("help", "")),
])
def test_commands_are_split_into_name_and_arguments(text: str,
                                                    expected: tuple[str, str] | None) -> None:
    assert split_command(text) == expected


def test_a_command_for_another_bot_is_not_ours() -> None:
    assert split_command("/help@other_bot", "ownervoice_bot") is None
    assert split_command("/help@OwnerVoice_Bot", "ownervoice_bot") == ("help", "")


def test_a_contact_wins_over_text_and_unreadable_content_keeps_its_kind() -> None:
    contact = message_event(WHO, message_id=5, text=None, phone="+86 138", contact_user_id=1)
    assert (contact.kind, contact.phone, contact.contact_user_id) == ("contact", "+86 138", 1)
    command = message_event(WHO, message_id=6, text="/complain 电梯坏了三天")
    assert (command.kind, command.command, command.args) == ("command", "complain", "电梯坏了三天")
    text = message_event(WHO, message_id=7, text="谢谢师傅")
    assert (text.kind, text.text, text.message_id) == ("text", "谢谢师傅", 7)
    other = message_event(WHO, message_id=8, content="voice")
    assert (other.kind, other.content) == ("other", "voice")


def test_bot_id_is_the_token_prefix() -> None:
    assert bot_id_from_token("123456789:AAE-x") == 123456789
    assert bot_id_from_token("not-a-token") == 0
