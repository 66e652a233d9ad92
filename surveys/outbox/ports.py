"""The outbound-message port: each chat adapter implements `Messenger`.

Keyboards are plain data here so both adapters (aiogram, python-telegram-bot) render the
same buttons, and the domain never sees a framework type.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Button:
    text: str
    callback_data: str | None = None
    url: str | None = None


Keyboard = list[list[Button]]


@dataclass(frozen=True)
class OutgoingMessage:
    chat_id: int
    text: str
    buttons: Keyboard | None = None
    # Label of a one-time reply-keyboard button asking the user to share their phone contact.
    request_contact: str | None = None
    remove_reply_keyboard: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    # What to send instead when the message this one answers (`reply_to_message_id`) or
    # edits (`edit_message_id`) is gone: with it set, the reply is required, and a refusal
    # (`ReplyTargetGone`, or any refused edit but a closed chat) sends this.
    instead: OutgoingMessage | None = None


class DeliveryError(Exception):
    """Base of the errors a Messenger raises; the dispatcher decides what to do."""


# Telegram asks for seconds to minutes. Another Bot API server may ask for anything (10^12 s
# overflowed the date of the next attempt and stopped the outbox): wait at most this long,
# then ask again — a server still limiting answers 429 again.
MAX_RETRY_AFTER = 3600.0


class RetryLater(DeliveryError):
    """Telegram asked us to slow down (HTTP 429)."""

    def __init__(self, retry_after: float, detail: str = "", *, whole_bot: bool = False) -> None:
        super().__init__(detail or f"retry after {retry_after}s")
        asked = retry_after if math.isfinite(retry_after) else MAX_RETRY_AFTER
        self.retry_after = min(max(asked, 0.0), MAX_RETRY_AFTER)
        self.whole_bot = whole_bot  # the limit is bot-wide, not just this chat's


class TransientFailure(DeliveryError):
    """A 5xx, timeout or network error: worth retrying with backoff."""


class Undeliverable(DeliveryError):
    """Telegram refused for good (bot blocked, chat not found, bad request)."""


class ChatUnreachable(Undeliverable):
    """The chat itself is closed to the bot (403 blocked or deactivated, chat not found).

    Every later message to it would be refused too, until the person writes again.
    """


class ReplyTargetGone(Undeliverable):
    """The message this one answers is gone (the person deleted it): "replied not found"."""


class EditTargetGone(Undeliverable):
    """The message to edit is gone (the person deleted it): "message to edit not found"."""


class TooLarge(Undeliverable):
    """Telegram refused an upload as too large (HTTP 413, "file is too big"): it never fits."""


class SentUnreadable(DeliveryError):
    """Telegram accepted the call (HTTP 200) but its answer could not be read.

    The message was sent: count it so (message id unknown) and never send it again, or the
    owner gets the survey twice.
    """


class MessageNotModified(DeliveryError):
    """An edit asked for the content the message already has (harmless)."""


class Messenger(Protocol):
    """Send and edit messages in a chat; raise the DeliveryError subclasses above."""

    async def send(self, message: OutgoingMessage) -> int:
        """Send a message and return its message_id."""
        ...

    async def edit(
        self, *, chat_id: int, message_id: int, text: str, buttons: Keyboard | None = None
    ) -> None:
        """Replace a message's text and inline keyboard."""
        ...

    async def send_document(
        self, *, chat_id: int, filename: str, data: bytes, caption: str | None = None
    ) -> int:
        """Send a file as a document and return its message_id."""
        ...

    async def send_photo(
        self, *, chat_id: int, filename: str, data: bytes, caption: str | None = None
    ) -> int:
        """Send an image and return its message_id."""
        ...
