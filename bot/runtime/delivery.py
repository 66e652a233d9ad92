"""The error mapping and reply details both runtimes' Messengers share (`surveys.outbox.ports`).

Each adapter names its framework's exceptions; what a Bot API refusal means for a message
(not modified, undeliverable, worth retrying) is decided here once.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import TypeVar

from surveys.outbox.ports import (
    ChatUnreachable,
    DeliveryError,
    EditTargetGone,
    MessageNotModified,
    OutgoingMessage,
    ReplyTargetGone,
    SentUnreadable,
    TooLarge,
    TransientFailure,
    Undeliverable,
)

T = TypeVar("T")
log = logging.getLogger(__name__)
# How Telegram, a local Bot API server or a proxy in front of one words a refused upload: 413
# "Request Entity Too Large" (JSON or an HTML page), 400 "file is too big".
_TOO_LARGE = re.compile(r"entity too large|too (large|big)", re.IGNORECASE)


def answer_status(code: int, body: str | bytes) -> int:
    """Return the status an answer means: a 2xx carrying an error body is that error.

    Telegram answers `"ok": false` with the error's status; some Bot API servers and gateways
    answer it under HTTP 200. Read as a success it was counted as sent (PTB) although nothing
    was: its `error_code` (500 when it names none) tells what to do instead.
    """
    if not 200 <= code < 300:
        return code
    try:
        answer = json.loads(body)
    except ValueError:
        return code
    if not isinstance(answer, dict) or answer.get("ok") is not False:
        return code
    error = answer.get("error_code")
    return error if isinstance(error, int) and 400 <= error < 600 else 500


def too_large(description: str) -> bool:
    """Tell whether a refusal says the upload is too large (never worth trying again)."""
    return _TOO_LARGE.search(description) is not None


def refused(description: str) -> DeliveryError:
    """Map a 400 refusal: "message is not modified", a chat gone, a message gone or refused."""
    if "message is not modified" in description.lower():
        return MessageNotModified(description)
    if "chat not found" in description.lower():
        return ChatUnreachable(description)
    if too_large(description):
        return TooLarge(description)
    if "replied" in description.lower() and "not found" in description.lower():
        return ReplyTargetGone(description)  # "message to be replied not found"
    if "message to edit not found" in description.lower():
        return EditTargetGone(description)
    return Undeliverable(description)


def transient(exc: BaseException) -> TransientFailure:
    """Map a network, timeout or server failure: worth retrying with backoff."""
    return TransientFailure(str(exc) or type(exc).__name__)


async def call_mapped(fn: Callable[[], Awaitable[T]], catch: tuple[type[BaseException], ...],
                      map_error: Callable[[BaseException], DeliveryError]) -> T:
    """Await one Bot API call; a `catch` exception is raised as its delivery error."""
    try:
        return await fn()
    except catch as exc:
        raise map_error(exc) from exc


def reply_to(message: OutgoingMessage) -> int | None:
    """Return the message id this one answers, if any (`extra["reply_to_message_id"]`)."""
    value = message.extra.get("reply_to_message_id")
    return int(value) if value else None


def reply_optional(message: OutgoingMessage) -> bool:
    """Whether the message may go without its reply when the answered one is gone.

    A message with something to send instead (`OutgoingMessage.instead`) needs the reply:
    Telegram's refusal is what tells the answered message was deleted.
    """
    return message.instead is None


async def answer_quietly(answer: Callable[[], Awaitable[object]]) -> None:
    """Answer a button tap; a refused answer (too old, answered already) is only logged."""
    try:  # a 429 is raised as RetryLater: `perform` waits it out
        await answer()
    except (Undeliverable, MessageNotModified) as exc:
        log.info("callback answer refused: %s", exc)
    except SentUnreadable:
        log.warning("callback answer accepted, but its answer could not be read")
