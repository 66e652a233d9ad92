"""A claimed row as Bot API calls: an edit in place, a document, a photo or a text message."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from surveys.models import OutboxMessage
from surveys.outbox.ports import (
    ChatUnreachable,
    EditTargetGone,
    MessageNotModified,
    Messenger,
    OutgoingMessage,
    ReplyTargetGone,
    Undeliverable,
)

log = logging.getLogger("surveys.outbox.dispatch")  # one logger name for the dispatcher's lines

Render = Callable[[OutboxMessage], OutgoingMessage]


@dataclass(frozen=True)
class Sent:
    """What a row became: the message id, and whether it stood in for a deleted message."""

    message_id: int | None
    stood_in: bool = False


async def send_row(*, messenger: Messenger, render: Render, row: OutboxMessage) -> Sent:
    """Render the row and send it; return the Telegram message id (the edited one for edits)."""
    message = render(row)
    edit_id = message.extra.get("edit_message_id") or row.payload.get("edit_message_id")
    if edit_id:
        return await _edit(messenger, message, int(edit_id), row)
    for key, method in (("document_path", messenger.send_document),
                        ("photo_path", messenger.send_photo)):
        path = message.extra.get(key)
        if path:
            data = await asyncio.to_thread(Path(path).read_bytes)
            return Sent(await method(
                chat_id=message.chat_id, filename=message.extra.get("filename")
                or Path(path).name, data=data, caption=message.text or None,
            ))
    try:
        return Sent(await messenger.send(message))
    except ReplyTargetGone:
        if message.instead is None:
            raise
        # The message it answers was deleted (a reminder's survey card): send what stands
        # in for it, e.g. the card itself with its buttons.
        log.info("outbox row %s (%s): the message it answers is gone; sent in its stead",
                 row.id, row.kind)
        return Sent(await messenger.send(message.instead), stood_in=True)


async def _edit(messenger: Messenger, message: OutgoingMessage, edit_id: int,
                row: OutboxMessage) -> Sent:
    """Edit in place; a message Telegram will not edit gets what stands in for it, if any."""
    try:
        with contextlib.suppress(MessageNotModified):
            await messenger.edit(chat_id=message.chat_id, message_id=edit_id, text=message.text,
                                 buttons=message.buttons)
    except ChatUnreachable:  # a new message would be refused as well
        raise
    except Undeliverable as exc:
        if message.instead is not None:
            # A reply edit that waited here (the owner's stars, say): what they did is stored,
            # so show it afresh, as the chat layer does (bot.runtime.perform).
            log.info("outbox row %s (%s): message %s cannot be edited (%s); sent afresh",
                     row.id, row.kind, edit_id, exc)
            return Sent(await messenger.send(message.instead), stood_in=True)
        if isinstance(exc, EditTargetGone):
            # An expiry, say, only takes buttons away: a deleted message has none left.
            log.info("outbox row %s (%s): message %s is gone; nothing to change", row.id,
                     row.kind, edit_id)
            return Sent(None)
        raise
    return Sent(edit_id)
