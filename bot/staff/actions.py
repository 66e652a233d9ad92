"""Staff reply actions beyond the owner conversation's Send / Edit / AnswerCallback."""

from __future__ import annotations

from dataclasses import dataclass

from bot.conversation.actions import Action, AnswerCallback, Edit, Send
from surveys.ports import Keyboard


@dataclass(frozen=True)
class EditText:
    """Replace a message's text and keyboard, with an optional parse mode ("HTML")."""

    chat_id: int
    message_id: int
    text: str
    buttons: Keyboard | None = None
    parse_mode: str | None = None


@dataclass(frozen=True)
class SendFile:
    """Upload a file: kind "document" (sendDocument) or "photo" (sendPhoto)."""

    chat_id: int
    kind: str
    filename: str
    data: bytes
    caption: str | None = None


@dataclass(frozen=True)
class SetCommands:
    """Set the command menu of one private chat, per language ("zh_CN" is the default)."""

    chat_id: int
    commands: dict[str, list[tuple[str, str]]]


StaffAction = Action | EditText | SendFile | SetCommands

__all__ = ["AnswerCallback", "Edit", "EditText", "Send", "SendFile", "SetCommands",
           "StaffAction"]
