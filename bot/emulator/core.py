"""The emulator's in-process state and configuration, shared by the API and control routes."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp

from bot.emulator.actions import UserActions
from bot.emulator.errors import (
    BLOCKED,
    CANT_INITIATE,
    CHAT_NOT_FOUND,
    ApiError,
    ControlError,
    bad_request,
)
from bot.emulator.faults import Fault, FaultInjector
from bot.emulator.flood import FloodLimiter
from bot.emulator.models import ChatRecord, UserRecord
from bot.emulator.state import BotState, new_bot


class Emulator(UserActions):
    """All bots, users and settings of one emulator instance (one event loop)."""

    def __init__(
        self,
        *,
        flood_limits: bool = False,
        per_bot: float = 30.0,
        per_chat: float = 1.0,
        latency: float = 0.0,
        callback_timeout: float = 15.0,
        webhook_retry_delay: float = 0.2,
        bot_names: dict[str, str] | None = None,
        require_start: bool = False,
    ) -> None:
        self.users: dict[int, UserRecord] = {}
        self.bots: dict[str, BotState] = {}
        self.bot_names = dict(bot_names or {})
        self.flood = FloodLimiter()
        self._initial_limits = (flood_limits, per_bot, per_chat, latency)
        self.flood.configure(enabled=flood_limits, per_bot=per_bot, per_chat=per_chat)
        self.faults = FaultInjector()
        self.latency = latency
        # A tap's query can be answered for some 10-15 s on Telegram (then "query is too
        # old"), not the minute a client shows its spinner for.
        self.callback_timeout = callback_timeout
        self.webhook_retry_delay = webhook_retry_delay
        self.http: aiohttp.ClientSession | None = None
        # Telegram refuses to let a bot write first; off by default for simpler tests.
        self.require_start = require_start

    # --- lookup -------------------------------------------------------------------------

    def bot(self, token: str) -> BotState:
        """Return the state of the bot with this token, creating it on first use."""
        state = self.bots.get(token)
        if state is None:
            state = new_bot(token, self.bot_names.get(token))
            self.bots[token] = state
        return state

    def user(
        self, user_id: int, first_name: str, last_name: str | None = None,
        username: str | None = None, language_code: str | None = "zh-hans",
    ) -> UserRecord:
        """Register (or update) a user; their private chat id equals their user id."""
        record = self.users.get(user_id)
        if record is None:
            record = UserRecord(user_id, first_name, last_name, username, language_code)
            self.users[user_id] = record
        else:
            record.first_name, record.last_name = first_name, last_name
            record.username, record.language_code = username, language_code
        return record

    def ensure_user(self, user_id: int) -> UserRecord:
        """Return a registered user, registering a default one if needed."""
        return self.users.get(user_id) or self.user(user_id, f"User{user_id}")

    def chat(self, bot: BotState, chat_id: int | None) -> ChatRecord:
        """Return the bot's private chat with a registered user, or 400 chat not found."""
        if chat_id is None:
            raise bad_request("chat_id is empty")
        chat = bot.chats.get(chat_id)
        if chat is None:
            user = self.users.get(chat_id)
            if user is None:
                raise bad_request(CHAT_NOT_FOUND)
            chat = bot.chats[chat_id] = ChatRecord(user)
        return chat

    def chat_for_send(self, bot: BotState, chat_id: int | None) -> ChatRecord:
        """Return the chat a send goes to; 403 if blocked (or never started, if required)."""
        chat = self.chat(bot, chat_id)
        if chat.blocked:
            raise ApiError(403, BLOCKED)
        if self.require_start and not chat.started:
            raise ApiError(403, CANT_INITIATE)
        return chat

    def spend(self, bot: BotState, chat_id: int, *, edit: bool = False) -> None:
        """Count one message or edit against the flood limits; 429 when over them."""
        retry_after = self.flood.check(bot.token, chat_id)
        if retry_after is not None:
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        (bot.edits_per_chat if edit else bot.sends_per_chat)[chat_id] += 1

    # --- configuration ------------------------------------------------------------------

    def set_flood_limits(
        self, on: bool, per_bot: float = 30.0, per_chat: float = 1.0,
        burst_bot: float | None = None, burst_chat: float | None = None,
    ) -> None:
        """Switch flood limits on/off with the given rates (messages per second)."""
        self.flood.configure(enabled=on, per_bot=per_bot, per_chat=per_chat,
                             burst_bot=burst_bot, burst_chat=burst_chat)

    def inject_fault(
        self, method: str, kind: str = "status", *, count: int = 1, status: int = 502,
        retry_after: int = 1, delay: float = 1.0, description: str | None = None,
    ) -> None:
        """Make the next `count` calls of `method` ('*' for any) fail the given way."""
        self.faults.add(method, Fault(kind, count, status, retry_after, delay,  # type: ignore[arg-type]
                                      description))

    def set_latency(self, seconds: float) -> None:
        """Delay every Bot API answer by this many seconds."""
        self.latency = max(0.0, seconds)

    def reset(self) -> None:
        """Forget bots, users and faults; limits and latency go back to the constructor's."""
        for state in self.bots.values():
            state.updates.close()
            if state.webhook_task is not None:
                state.webhook_task.cancel()
        self.bots.clear()
        self.users.clear()
        self.faults.clear()
        flood_limits, per_bot, per_chat, self.latency = self._initial_limits
        self.flood.configure(enabled=flood_limits, per_bot=per_bot, per_chat=per_chat)

    async def close(self) -> None:
        """Stop webhook deliveries and close the outgoing HTTP session."""
        tasks = [s.webhook_task for s in self.bots.values() if s.webhook_task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self.http is not None:
            await self.http.close()
            self.http = None

    # --- queries ------------------------------------------------------------------------

    def chat_messages(self, token: str, chat_id: int) -> list[dict[str, Any]]:
        """Return every message of a chat, in order, with history and flags."""
        chat = self.bot(token).chats.get(chat_id)
        if chat is None:
            return []
        return [message.to_control() for message in chat.messages.values()]

    def requests(self, token: str, method: str | None = None) -> list[dict[str, Any]]:
        """Return the log of API calls, optionally of one method (case-insensitive)."""
        log = self.bot(token).requests
        if method is None:
            return list(log)
        wanted = method.lower()
        return [entry for entry in log if entry["method"].lower() == wanted]

    def commands(self, token: str) -> list[dict[str, Any]]:
        """Return every command list set, with its scope and language."""
        out = []
        for (scope, language), commands in self.bot(token).commands.items():
            out.append({"scope": _scope_from_key(scope), "language_code": language,
                        "commands": commands})
        return out

    def document(self, token: str, file_id: str) -> bytes:
        """Return the bytes of a file the bot uploaded (or a user sent)."""
        record = self.bot(token).files.get(file_id)
        if record is None:
            raise ControlError(f"no file with id {file_id!r}")
        return record.data


def _scope_from_key(key: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(key)
    return value
