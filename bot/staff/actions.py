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
    # What the person is told instead when Telegram refuses the file as too large.
    too_large: str | None = None


StaffAction = Action | SendFile

__all__ = ["AnswerCallback", "Edit", "Send", "SendFile", "StaffAction"]
