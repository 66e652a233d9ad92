"""Plain-data input and output of the conversation layer; adapters translate both ways."""

from __future__ import annotations

from dataclasses import dataclass

from surveys.outbox.ports import Keyboard, OutgoingMessage


@dataclass(frozen=True)
class Inbound:
    """Who wrote: the Telegram user, their private chat and their client's language."""

    user_id: int
    chat_id: int
    language_code: str | None = None


@dataclass(frozen=True)
class Send:
    """Send a new message."""

    message: OutgoingMessage


@dataclass(frozen=True)
class Edit:
    """Replace the text and inline keyboard of a message the bot sent (parse mode optional)."""

    chat_id: int
    message_id: int
    text: str
    buttons: Keyboard | None = None
    parse_mode: str | None = None  # "HTML" for staff views; None is plain text
    survey_id: int | None = None  # set on a survey card: sent afresh, the survey follows it


@dataclass(frozen=True)
class AnswerCallback:
    """Answer a button tap (always required), optionally with a short toast."""

    callback_id: str
    text: str | None = None
    alert: bool = False


@dataclass(frozen=True)
class SetChatMenu:
    """Set one private chat's command menu for each Telegram language code (None: any)."""

    chat_id: int
    commands: tuple[tuple[str, str], ...]
    language_codes: tuple[str | None, ...] = (None,)


Action = Send | Edit | AnswerCallback | SetChatMenu
