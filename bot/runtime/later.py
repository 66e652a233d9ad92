"""The outbox as the place a direct reply goes when Telegram keeps refusing it (`perform`)."""

from __future__ import annotations

import uuid

from surveys.core.db import SessionFactory
from surveys.outbox.ports import Keyboard, OutgoingMessage
from surveys.outbox.store import enqueue_text


class OutboxLater:
    """Queue a refused reply in the durable outbox; the dispatcher sends it within limits."""

    def __init__(self, db: SessionFactory) -> None:
        self.db = db

    async def send(self, message: OutgoingMessage) -> None:
        """Queue a message (its text and inline buttons) to send once Telegram allows."""
        await enqueue_text(db=self.db, chat_id=message.chat_id, text=message.text,
                           buttons=message.buttons, dedupe_key=f"reply:{uuid.uuid4().hex}")

    async def edit(self, *, chat_id: int, message_id: int, text: str,
                   buttons: Keyboard | None) -> None:
        """Queue an edit to make once Telegram allows."""
        await enqueue_text(db=self.db, chat_id=chat_id, text=text, buttons=buttons,
                           edit_message_id=message_id, dedupe_key=f"edit:{uuid.uuid4().hex}")
