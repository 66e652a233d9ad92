"""Carry out the conversation's reply actions through any runtime's `ChatPort`."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from typing import Protocol

from bot.conversation import Action, AnswerCallback, Edit, Send
from surveys.ports import Keyboard, MessageNotModified, OutgoingMessage

log = logging.getLogger(__name__)


class ChatPort(Protocol):
    """The three Bot API calls a reply needs; errors are the `surveys.ports` ones."""

    async def send(self, message: OutgoingMessage) -> int:
        """Send a message and return its message_id."""
        ...

    async def edit(self, *, chat_id: int, message_id: int, text: str,
                   buttons: Keyboard | None = None) -> None:
        """Replace a message's text and inline keyboard."""
        ...

    async def answer_callback(self, callback_id: str, text: str | None = None,
                              alert: bool = False) -> None:
        """Answer a button tap; a refused answer (too old, answered) is not an error."""
        ...


async def perform(port: ChatPort, actions: Iterable[Action]) -> None:
    """Send, edit and answer as the actions say; the callback answer goes last.

    Answering last means a client (and a test) that sees the answer sees the edit too.
    """
    ordered = sorted(actions, key=lambda a: isinstance(a, AnswerCallback))
    for action in ordered:
        if isinstance(action, AnswerCallback):
            await port.answer_callback(action.callback_id, action.text, action.alert)
        elif isinstance(action, Edit):
            with contextlib.suppress(MessageNotModified):  # a repeated tap: already shown
                await port.edit(chat_id=action.chat_id, message_id=action.message_id,
                                text=action.text, buttons=action.buttons)
        elif isinstance(action, Send):
            await port.send(action.message)
