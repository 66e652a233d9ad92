"""Carry out reply actions (the conversation's and the staff layer's) through a `ChatPort`."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from bot.conversation.actions import AnswerCallback, Edit, Send, SetChatMenu
from bot.menus import set_menu
from bot.staff.actions import SendFile
from surveys.outbox.ports import Keyboard, MessageNotModified, OutgoingMessage

log = logging.getLogger(__name__)


class ChatPort(Protocol):
    """The Bot API calls a reply needs; errors are the `surveys.outbox.ports` ones."""

    async def send(self, message: OutgoingMessage, *, parse_mode: str | None = None) -> int:
        """Send a message and return its message_id."""
        ...

    async def edit(self, *, chat_id: int, message_id: int, text: str,
                   buttons: Keyboard | None = None, parse_mode: str | None = None) -> None:
        """Replace a message's text and inline keyboard."""
        ...

    async def answer_callback(self, callback_id: str, text: str | None = None,
                              alert: bool = False) -> None:
        """Answer a button tap; a refused answer (too old, answered) is not an error."""
        ...

    async def send_document(self, *, chat_id: int, filename: str, data: bytes,
                            caption: str | None = None) -> int:
        """Send a file as a document."""
        ...

    async def send_photo(self, *, chat_id: int, filename: str, data: bytes,
                         caption: str | None = None) -> int:
        """Send an image."""
        ...

    async def set_commands(self, commands: Sequence[tuple[str, str]], *,
                           language_code: str | None = None, chat_id: int | None = None
                           ) -> None:
        """Set the command menu for everyone, or for one chat."""
        ...

    async def delete_commands(self, *, language_code: str | None = None,
                              chat_id: int | None = None) -> None:
        """Delete the command menu for everyone, or for one chat (deleteMyCommands)."""
        ...


async def perform(port: ChatPort, actions: Iterable[Any]) -> None:
    """Send, edit, upload and answer as the actions say; the callback answer goes last.

    Answering last means a client (and a test) that sees the answer sees the edit too.
    """
    ordered = sorted(actions, key=lambda a: isinstance(a, AnswerCallback))
    for action in ordered:
        if isinstance(action, AnswerCallback):
            await port.answer_callback(action.callback_id, action.text, action.alert)
        elif isinstance(action, Edit):
            await _edit(port, action.chat_id, action.message_id, action.text, action.buttons,
                        action.parse_mode)
        elif isinstance(action, Send):
            await port.send(action.message, parse_mode=action.message.extra.get("parse_mode"))
        else:
            await _staff_action(port, action)


async def _edit(port: ChatPort, chat_id: int, message_id: int, text: str,
                buttons: Keyboard | None, parse_mode: str | None) -> None:
    with contextlib.suppress(MessageNotModified):  # a repeated tap: already shown
        await port.edit(chat_id=chat_id, message_id=message_id, text=text, buttons=buttons,
                        parse_mode=parse_mode)


async def _staff_action(port: ChatPort, action: Any) -> None:
    if isinstance(action, SendFile):
        upload = port.send_photo if action.kind == "photo" else port.send_document
        await upload(chat_id=action.chat_id, filename=action.filename, data=action.data,
                     caption=action.caption)
    elif isinstance(action, SetChatMenu):
        await set_menu(port, action)  # logs a refusal: the menu is a nicety
    else:
        raise TypeError(f"unknown reply action {action!r}")

