"""The outbox as the place a direct reply goes when Telegram keeps refusing it (`perform`)."""

from __future__ import annotations

import hashlib
import json
import uuid

from surveys.core.db import SessionFactory
from surveys.outbox.ports import Keyboard, OutgoingMessage
from surveys.outbox.store import buttons_to_json, enqueue_text


class OutboxLater:
    """Queue a refused reply in the durable outbox; the dispatcher sends it within limits."""

    def __init__(self, db: SessionFactory) -> None:
        self.db = db

    async def send(self, message: OutgoingMessage) -> None:
        """Queue a message (its text and inline buttons) to send once Telegram allows."""
        await enqueue_text(db=self.db, chat_id=message.chat_id, text=message.text,
                           buttons=message.buttons, dedupe_key=f"reply:{uuid.uuid4().hex}")

    async def edit(self, *, chat_id: int, message_id: int, text: str,
                   buttons: Keyboard | None, survey_id: int | None = None) -> None:
        """Queue an edit to make once Telegram allows (sent afresh if the message is gone)."""
        # Keyed by what it shows: the same edit queued again (an update handled again after
        # a failure) is one row, so a deleted message is never sent afresh twice.
        shown = json.dumps([text, buttons_to_json(buttons)], ensure_ascii=False)
        digest = hashlib.sha256(shown.encode()).hexdigest()[:32]
        await enqueue_text(db=self.db, chat_id=chat_id, text=text, buttons=buttons,
                           edit_message_id=message_id, survey_id=survey_id,
                           dedupe_key=f"edit:{chat_id}:{message_id}:{digest}")
