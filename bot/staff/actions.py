"""Staff reply actions beyond the owner conversation's Send / Edit / AnswerCallback."""

from __future__ import annotations

from dataclasses import dataclass

from bot.conversation.actions import Action, AnswerCallback, Edit, Send


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


StaffAction = Action | SendFile | SetCommands

__all__ = ["AnswerCallback", "Edit", "Send", "SendFile", "SetCommands", "StaffAction"]
