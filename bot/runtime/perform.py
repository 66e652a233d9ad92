"""Carry out reply actions (the conversation's and the staff layer's) through a `ChatPort`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Protocol

from bot.conversation.actions import AnswerCallback, Edit, Send, SetChatMenu
from bot.menus import MenuPort, set_menu
from bot.staff.actions import SendFile, StaffAction
from surveys.outbox.ports import (
    ChatUnreachable,
    Keyboard,
    MessageNotModified,
    OutgoingMessage,
    RetryLater,
    SentUnreadable,
    TooLarge,
    TransientFailure,
    Undeliverable,
)

log = logging.getLogger(__name__)

ATTEMPTS = 3  # calls of one reply action before it goes to the outbox
MAX_WAIT_SECONDS = 10.0  # the longest a handler waits out 429s (a tap's answer expires ~15 s)
TRANSIENT_PAUSE_SECONDS = 0.5  # before calling again after a 5xx or a dropped connection


class ChatPort(MenuPort, Protocol):
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


class Later(Protocol):
    """Where a reply goes when Telegram keeps refusing it for now: the durable outbox."""

    async def send(self, message: OutgoingMessage) -> None:
        """Queue a message to send once Telegram allows."""
        ...

    async def edit(self, *, chat_id: int, message_id: int, text: str,
                   buttons: Keyboard | None, survey_id: int | None = None) -> None:
        """Queue an edit to make once Telegram allows (`survey_id`: of that survey's card)."""
        ...


class Cards(Protocol):
    """Where a survey card sent afresh (its edit refused) is recorded as the survey's card."""

    async def moved(self, *, survey_id: int, chat_id: int, from_message_id: int,
                    to_message_id: int) -> None:
        """Record `to_message_id` as the survey's card in place of `from_message_id`."""
        ...


async def perform(port: ChatPort, actions: Iterable[StaffAction],
                  later: Later | None = None, cards: Cards | None = None) -> None:
    """Send, edit, upload and answer as the actions say; the callback answer goes last.

    Answering last means a client (and a test) that sees the answer sees the edit too. A 429
    is waited out (up to MAX_WAIT_SECONDS in all) and the call made again; a gateway error
    or a dropped connection (502/504, a proxy's page, a reset) is tried again after a short
    pause. A send or edit still refused then goes to `later` (the outbox), so an owner's
    answer is never dropped; a tap's answer is only a nicety and is let go. An edit Telegram
    refuses (the person deleted the message, or it can no longer be edited) is sent afresh;
    a survey card sent so is recorded through `cards` as the survey's card.
    """
    ordered = sorted(actions, key=lambda a: isinstance(a, AnswerCallback))
    for action in ordered:
        await _carry_out(port, action, later, cards)


async def _carry_out(port: ChatPort, action: StaffAction, later: Later | None,
                     cards: Cards | None = None) -> None:
    waited = 0.0
    for attempt in range(1, ATTEMPTS + 1):
        try:
            await _do(port, action, cards)
            return
        except TooLarge as exc:
            # It will never fit: say so (and what to do) instead of trying again.
            if not isinstance(action, SendFile) or action.too_large is None:
                raise
            log.warning("%s for chat %s refused as too large (%s, %d bytes): the person is "
                        "told", action.filename, action.chat_id, exc, len(action.data))
            told = Send(OutgoingMessage(chat_id=action.chat_id, text=action.too_large))
            await _carry_out(port, told, later)
            return
        except SentUnreadable as exc:
            # Telegram has it: doing it again would show the owner a second copy.
            log.warning("%s accepted, but the answer could not be read (%s); not repeated",
                        type(action).__name__, exc)
            return
        except RetryLater as exc:
            give_up = attempt == ATTEMPTS or waited + exc.retry_after > MAX_WAIT_SECONDS
            if give_up and later is not None and isinstance(action, Send | Edit):
                log.info("%s for chat %s refused with 429 (retry after %.0f s): queued in the "
                         "outbox", type(action).__name__, action_chat(action), exc.retry_after)
                await _hand_over(later, action)
                return
            if give_up:
                raise
            log.info("%s for chat %s: Telegram asks to wait %.0f s", type(action).__name__,
                     action_chat(action), exc.retry_after)
            await asyncio.sleep(exc.retry_after)
            waited += exc.retry_after
        except TransientFailure as exc:
            # Nothing was sent (or, after a reset, perhaps it was: the outbox's own window).
            if attempt < ATTEMPTS:
                log.info("%s for chat %s failed (%s); trying again", type(action).__name__,
                         action_chat(action), exc)
                await asyncio.sleep(TRANSIENT_PAUSE_SECONDS * attempt)
                continue
            if later is not None and isinstance(action, Send | Edit):
                log.warning("%s for chat %s kept failing (%s): queued in the outbox",
                            type(action).__name__, action_chat(action), exc)
                await _hand_over(later, action)
                return
            if isinstance(action, AnswerCallback):
                log.warning("callback answer kept failing (%s): let go", exc)
                return
            raise


def action_chat(action: StaffAction) -> int | None:
    """Return the chat an action is for (None for a callback answer)."""
    if isinstance(action, Send):
        return action.message.chat_id
    if isinstance(action, AnswerCallback):
        return None
    return action.chat_id


async def _do(port: ChatPort, action: StaffAction, cards: Cards | None) -> None:
    if isinstance(action, AnswerCallback):
        await port.answer_callback(action.callback_id, action.text, action.alert)
    elif isinstance(action, Edit):
        await _edit(port, action, cards)
    elif isinstance(action, Send):
        await port.send(action.message, parse_mode=action.message.extra.get("parse_mode"))
    else:
        await _staff_action(port, action)


async def _hand_over(later: Later, action: Send | Edit) -> None:
    if isinstance(action, Send):
        await later.send(action.message)
    else:
        await later.edit(chat_id=action.chat_id, message_id=action.message_id,
                         text=action.text, buttons=action.buttons, survey_id=action.survey_id)


async def _edit(port: ChatPort, action: Edit, cards: Cards | None) -> None:
    chat_id, message_id, parse_mode = action.chat_id, action.message_id, action.parse_mode
    try:
        await port.edit(chat_id=chat_id, message_id=message_id, text=action.text,
                        buttons=action.buttons, parse_mode=parse_mode)
    except MessageNotModified:  # a repeated tap: already shown
        return
    except ChatUnreachable:  # blocked or gone: a new message would be refused as well
        raise
    except Undeliverable as exc:
        # The person deleted the message (in a private chat it is gone for the bot too), or
        # Telegram will not edit it any more: what they did is stored, so show it afresh.
        log.info("message %s in chat %s cannot be edited (%s): sent afresh", message_id,
                 chat_id, exc)
        extra = {"parse_mode": parse_mode} if parse_mode else {}
        fresh = await port.send(OutgoingMessage(chat_id=chat_id, text=action.text,
                                                buttons=action.buttons, extra=extra),
                                 parse_mode=parse_mode)
        if cards is not None and action.survey_id is not None:
            # Later edits (an answer, the expiry) must reach the card the owner can see.
            await cards.moved(survey_id=action.survey_id, chat_id=chat_id,
                              from_message_id=message_id, to_message_id=fresh)


async def _staff_action(port: ChatPort, action: SendFile | SetChatMenu) -> None:
    if isinstance(action, SendFile):
        upload = port.send_photo if action.kind == "photo" else port.send_document
        await upload(chat_id=action.chat_id, filename=action.filename, data=action.data,
                     caption=action.caption)
    elif isinstance(action, SetChatMenu):
        await set_menu(port, action)  # logs a refusal: the menu is a nicety
    else:
        raise TypeError(f"unknown reply action {action!r}")

