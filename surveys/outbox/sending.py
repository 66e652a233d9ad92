"""A claimed row as Bot API calls: an edit in place, a document, a photo or a text message."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from surveys.models import OutboxMessage
from surveys.outbox.ports import MessageNotModified, Messenger, OutgoingMessage, ReplyTargetGone

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
        with contextlib.suppress(MessageNotModified):
            await messenger.edit(
                chat_id=message.chat_id, message_id=int(edit_id), text=message.text,
                buttons=message.buttons,
            )
        return Sent(int(edit_id))
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
