"""A typed async client for the emulator's control API, with polling helpers for tests."""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Callable
from typing import Any

import aiohttp

Message = dict[str, Any]
# How long a wait for the bot's messages lasts by default. A wait returns as soon as they
# arrive, so the bound only decides when a missing reply is reported: generous, because a
# test run shares its cores with other workers (pytest-xdist) and a loaded CI machine.
REPLY_WAIT = 30.0


class EmulatorError(Exception):
    """The control API refused a request (unknown message, missing button...)."""


class EmulatorClient:
    """Drive an emulator over HTTP: play users, read chats, inject faults."""

    def __init__(self, base_url: str, *, session: aiohttp.ClientSession | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._session = session
        self._own_session = session is None

    async def __aenter__(self) -> EmulatorClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session if this client opened it."""
        if self._session is not None and self._own_session:
            await self._session.close()
        self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
            self._own_session = True
        return self._session

    async def call(self, action: str, **args: Any) -> Any:
        """Call /control/<action> with JSON args and return its result."""
        payload = {key: value for key, value in args.items() if value is not None}
        async with self._http().post(f"{self.base_url}/control/{action}", json=payload) as resp:
            body = await resp.json()
        if not body.get("ok"):
            raise EmulatorError(body.get("error") or str(body))
        return body.get("result")

    # --- users ---------------------------------------------------------------------------

    async def reset(self) -> None:
        """Forget bots, users and faults; limits go back to the emulator's start options."""
        await self.call("reset")

    async def user(self, user_id: int, first_name: str, last_name: str | None = None,
                   username: str | None = None, language_code: str | None = "zh-hans"
                   ) -> dict[str, Any]:
        """Register a user (private chat id == user id); return the User object."""
        result: dict[str, Any] = await self.call(
            "user", user_id=user_id, first_name=first_name, last_name=last_name,
            username=username, language_code=language_code)
        return result

    async def name_bot(self, token: str, username: str | None = None,
                       first_name: str | None = None) -> dict[str, Any]:
        """Set the username / first name getMe returns for a token."""
        result: dict[str, Any] = await self.call("bot", token=token, username=username,
                                                 first_name=first_name)
        return result

    async def send_text(self, token: str, user_id: int, text: str, *,
                        deliver_twice: bool = False,
                        reply_to_message_id: int | None = None) -> dict[str, Any]:
        """Send a private message from the user; return the update."""
        result: dict[str, Any] = await self.call(
            "send_text", token=token, user_id=user_id, text=text, deliver_twice=deliver_twice,
            reply_to_message_id=reply_to_message_id)
        return result

    async def share_contact(self, token: str, user_id: int, phone_number: str,
                            contact_user_id: int | None = None, first_name: str | None = None,
                            last_name: str | None = None, *,
                            deliver_twice: bool = False) -> dict[str, Any]:
        """Share a contact; contact.user_id defaults to the sender (pass another to forge)."""
        result: dict[str, Any] = await self.call(
            "share_contact", token=token, user_id=user_id, phone_number=phone_number,
            contact_user_id=contact_user_id, first_name=first_name, last_name=last_name,
            deliver_twice=deliver_twice)
        return result

    async def send_sticker(self, token: str, user_id: int, emoji: str = "👍", *,
                           deliver_twice: bool = False) -> dict[str, Any]:
        """Send a sticker from the user."""
        result: dict[str, Any] = await self.call(
            "send_sticker", token=token, user_id=user_id, emoji=emoji,
            deliver_twice=deliver_twice)
        return result

    async def send_photo(self, token: str, user_id: int, data: bytes | None = None,
                         caption: str | None = None, *,
                         deliver_twice: bool = False) -> dict[str, Any]:
        """Send a photo from the user (a tiny PNG unless data is given)."""
        encoded = base64.b64encode(data).decode() if data is not None else None
        result: dict[str, Any] = await self.call(
            "send_photo", token=token, user_id=user_id, data_base64=encoded, caption=caption,
            deliver_twice=deliver_twice)
        return result

    async def send_raw(self, token: str, update: dict[str, Any]) -> dict[str, Any]:
        """Queue any update body; the emulator assigns the update_id."""
        result: dict[str, Any] = await self.call("send_raw", token=token, update=update)
        return result

    async def tap(self, token: str, user_id: int, message_id: int, callback_data: str, *,
                  deliver_twice: bool = False) -> dict[str, Any]:
        """Tap a button with any callback_data on a message of the user's chat."""
        result: dict[str, Any] = await self.call(
            "tap", token=token, user_id=user_id, message_id=message_id,
            callback_data=callback_data, deliver_twice=deliver_twice)
        return result

    async def tap_button(self, token: str, user_id: int, message_id: int, text: str, *,
                         deliver_twice: bool = False) -> dict[str, Any]:
        """Tap the button labelled `text` in the message's current inline keyboard."""
        result: dict[str, Any] = await self.call(
            "tap_button", token=token, user_id=user_id, message_id=message_id, text=text,
            deliver_twice=deliver_twice)
        return result

    async def redeliver(self, token: str, update_id: int) -> dict[str, Any]:
        """Deliver an update again with the same update_id (at-least-once delivery)."""
        result: dict[str, Any] = await self.call("redeliver", token=token, update_id=update_id)
        return result

    async def delete_by_user(self, token: str, user_id: int, message_id: int) -> None:
        """Make the user delete a message of their chat with the bot."""
        await self.call("delete_by_user", token=token, user_id=user_id, message_id=message_id)

    async def forward(self, token: str, user_id: int, message_id: int) -> dict[str, Any]:
        """Make the user forward a message of their chat back to the bot (`forward_origin`)."""
        result: dict[str, Any] = await self.call("forward", token=token, user_id=user_id,
                                                 message_id=message_id)
        return result

    async def pin(self, token: str, user_id: int, message_id: int) -> dict[str, Any]:
        """Make the user pin a message of their chat (the bot gets Telegram's service message)."""
        result: dict[str, Any] = await self.call("pin", token=token, user_id=user_id,
                                                 message_id=message_id)
        return result

    async def block(self, token: str, user_id: int) -> None:
        """Make the user block the bot (sends to their chat then get 403)."""
        await self.call("block", token=token, user_id=user_id)

    async def unblock(self, token: str, user_id: int) -> None:
        """Make the user unblock the bot."""
        await self.call("unblock", token=token, user_id=user_id)

    # --- inspection ----------------------------------------------------------------------

    async def chat(self, token: str, chat_id: int) -> list[Message]:
        """Return every message of the chat in order (see `MessageRecord.to_control`)."""
        result: list[Message] = await self.call("chat", token=token, chat_id=chat_id)
        return result

    async def bot_messages(self, token: str, chat_id: int) -> list[Message]:
        """Return the bot's messages in the chat that are not deleted."""
        return [m for m in await self.chat(token, chat_id)
                if m["sender"] == "bot" and not m["deleted"]]

    async def callback_answers(self, token: str) -> list[dict[str, Any]]:
        """Return the bot's answerCallbackQuery calls that succeeded."""
        result: list[dict[str, Any]] = await self.call("callback_answers", token=token)
        return result

    async def requests(self, token: str, method: str | None = None) -> list[dict[str, Any]]:
        """Return the log of Bot API calls (method, params, time, status, description)."""
        result: list[dict[str, Any]] = await self.call("requests", token=token, method=method)
        return result

    async def stats(self, token: str) -> dict[str, Any]:
        """Return counters: methods, statuses, too_many_requests, sends_per_chat..."""
        result: dict[str, Any] = await self.call("stats", token=token)
        return result

    async def commands(self, token: str) -> list[dict[str, Any]]:
        """Return every command list set, as {scope, language_code, commands}."""
        result: list[dict[str, Any]] = await self.call("commands", token=token)
        return result

    async def updates(self, token: str) -> dict[str, Any]:
        """Return {pending: [...], history: [...]} of the bot's updates."""
        result: dict[str, Any] = await self.call("updates", token=token)
        return result

    async def document(self, token: str, file_id: str) -> bytes:
        """Return the bytes of an uploaded file."""
        url = f"{self.base_url}/control/document"
        async with self._http().post(url, json={"token": token, "file_id": file_id}) as resp:
            if resp.status != 200:
                raise EmulatorError((await resp.json()).get("error"))
            return await resp.read()

    # --- settings ------------------------------------------------------------------------

    async def set_flood_limits(self, on: bool, per_bot: float = 30, per_chat: float = 1,
                               burst_bot: float | None = None,
                               burst_chat: float | None = None) -> None:
        """Switch flood limits (messages/s per bot and per chat) on or off."""
        await self.call("flood_limits", on=on, per_bot=per_bot, per_chat=per_chat,
                        burst_bot=burst_bot, burst_chat=burst_chat)

    async def inject_fault(self, method: str, kind: str = "status", *, count: int = 1,
                           status: int = 502, retry_after: int = 1, delay: float = 1.0,
                           description: str | None = None) -> None:
        """Make the next `count` calls of `method` ('*' = any) fail.

        kind: status (HTTP `status` in Telegram's shape; `description`, e.g. "Forbidden: user
        is deactivated", replaces the reason phrase), proxy_page (HTTP `status` with an HTML
        page), ok_false (HTTP 200 carrying the error body of `status`), redirect (302 to the
        same URL, a proxy's loop), retry_after (429), delay
        (hang `delay` s, then run), drop (close the connection, not run), drop_after (run,
        then close the connection), garbled / not_json (run, then answer 200 with a result
        or body the bot cannot read), reverse / twice (getUpdates: run, then answer the
        updates newest first / each twice).
        """
        await self.call("fault", method=method, kind=kind, count=count, status=status,
                        retry_after=retry_after, delay=delay, description=description)

    async def clear_faults(self) -> None:
        """Forget every injected fault."""
        await self.call("clear_faults")

    async def set_latency(self, seconds: float) -> None:
        """Delay every Bot API answer by this many seconds."""
        await self.call("latency", seconds=seconds)

    # --- waiting -------------------------------------------------------------------------

    async def wait_for(
        self, token: str, chat_id: int, *, count: int = 1, text: str | None = None,
        contains: str | None = None, predicate: Callable[[Message], bool] | None = None,
        sender: str | None = "bot", include_deleted: bool = False,
        timeout: float = REPLY_WAIT,  # noqa: ASYNC109
        interval: float = 0.02,
    ) -> list[Message]:
        """Wait until the chat holds `count` messages matching every given filter; return them.

        text is compared with the visible text (or caption), contains is a substring of it,
        predicate gets the message dict; sender is "bot", "user" or None for both.
        """
        deadline = time.monotonic() + timeout
        while True:
            messages = await self.chat(token, chat_id)
            matches = [m for m in messages
                       if _matches(m, text, contains, predicate, sender, include_deleted)]
            if len(matches) >= count:
                return matches
            if time.monotonic() >= deadline:
                shown = [(m["sender"], m["plain_text"] or m["caption"] or m["kind"])
                         for m in messages]
                raise TimeoutError(
                    f"chat {chat_id}: wanted {count} message(s) (text={text!r}, "
                    f"contains={contains!r}, sender={sender!r}) within {timeout}s; "
                    f"found {len(matches)}; chat is {shown}"
                )
            await asyncio.sleep(interval)

    async def wait_for_message(self, token: str, chat_id: int, **filters: Any) -> Message:
        """Wait like `wait_for` and return the last matching message."""
        return (await self.wait_for(token, chat_id, **filters))[-1]


def _matches(message: Message, text: str | None, contains: str | None,
             predicate: Callable[[Message], bool] | None, sender: str | None,
             include_deleted: bool) -> bool:
    if message["deleted"] and not include_deleted:
        return False
    if sender is not None and message["sender"] != sender:
        return False
    visible = message["plain_text"] if message["plain_text"] is not None else message["caption"]
    if text is not None and visible != text and message["text"] != text:
        return False
    if contains is not None and contains not in (visible or "") and contains not in (
            message["text"] or ""):
        return False
    return predicate is None or predicate(message)
