"""People in the demo: each plays a Telegram user through the emulator's control API."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.demo.failures import DemoFailed, DemoFailure
from bot.demo.transcript import Message, Transcript
from bot.emulator.client import EmulatorClient


@dataclass
class Stage:
    """What every player shares: the emulator client, the bot token and the transcript."""

    client: EmulatorClient
    token: str
    transcript: Transcript
    timeout: float = 30.0
    # Waits until the bot has nothing left to send, so messages an action causes in other
    # chats (alerts, relays) land before the script moves on: the transcript's order then
    # does not depend on the machine's load.
    settle: Callable[[], Awaitable[None]] | None = None

    async def settled(self) -> None:
        """Wait for the bot's outgoing messages to drain (when a settle hook is set)."""
        if self.settle is not None:
            await self.settle()


@dataclass
class Player:
    """One person in chat; every action prints itself and the bot's reaction."""

    stage: Stage
    user_id: int
    name: str
    phone: str
    language_code: str = "zh-hans"
    seen: dict[int, Message] = field(default_factory=dict)
    registered: bool = False

    async def _bot_messages(self) -> list[Message]:
        messages = await self.stage.client.chat(self.stage.token, self.user_id)
        return [m for m in messages if m["sender"] == "bot" and not m["deleted"]]

    async def register(self) -> None:
        """Make the person known to the emulator (their Telegram account)."""
        if not self.registered:
            await self.stage.client.user(self.user_id, self.name,
                                         language_code=self.language_code)
            self.registered = True

    async def show_news(self) -> list[Message]:
        """Print bot messages that are new or changed since last looked; return the new."""
        fresh = []
        for message in await self._bot_messages():
            old = self.seen.get(message["message_id"])
            if old is None:
                self.stage.transcript.bot_message(message, to=self.name)
                fresh.append(message)
            elif (old.get("plain_text"), old.get("reply_markup")) != (
                    message.get("plain_text"), message.get("reply_markup")):
                self.stage.transcript.bot_edit(old, message, to=self.name)
            self.seen[message["message_id"]] = message
        return fresh

    async def _wait(self, ready: Any) -> None:
        deadline = time.monotonic() + self.stage.timeout
        while not await ready():
            if time.monotonic() > deadline:
                raise DemoFailed(DemoFailure.NO_ANSWER, who=self.name,
                                 seconds=f"{self.stage.timeout:g}")
            await asyncio.sleep(0.03)

    async def _after_message(self, send: Any) -> list[Message]:
        before = len(await self._bot_messages())
        await send
        await self._wait(lambda: self._count_above(before))
        await self.stage.settled()
        return await self.show_news()

    async def _count_above(self, before: int) -> bool:
        return len(await self._bot_messages()) > before

    async def say(self, text: str) -> list[Message]:
        """Send a text message; print it and the bot's reply."""
        await self.register()
        self.stage.transcript.user(self.name, text)
        return await self._after_message(
            self.stage.client.send_text(self.stage.token, self.user_id, text))

    async def share_contact(self) -> list[Message]:
        """Tap "share my phone number"; print it and the bot's reply."""
        await self.register()
        tr = self.stage.transcript.tr
        self.stage.transcript.user(self.name, "📱 " + tr._("shares their contact ({phone})",
                                                         phone=self.phone))
        return await self._after_message(
            self.stage.client.share_contact(self.stage.token, self.user_id, self.phone))

    async def wait_for_message(self, contains: str) -> Message:
        """Wait for a bot message containing the text (e.g. a survey) and print it."""
        try:
            await self.stage.client.wait_for(self.stage.token, self.user_id, contains=contains,
                                              timeout=self.stage.timeout)
        except TimeoutError as exc:
            raise DemoFailed(DemoFailure.NO_MESSAGE, who=self.name, text=contains,
                             seconds=f"{self.stage.timeout:g}") from exc
        await self.show_news()
        found = [m for m in await self._bot_messages() if contains in (m["plain_text"] or "")]
        return found[-1]

    async def tap(self, message: Message, label: str, row: int | None = None) -> None:
        """Tap the button whose label starts with `label` (in that `row` of buttons when
        given, for cards with a row of stars per question); print the toast and the edit."""
        current = next((m for m in await self._bot_messages()
                        if m["message_id"] == message["message_id"]), None)
        if current is None:
            raise DemoFailed(DemoFailure.MESSAGE_GONE, who=self.name)
        markup = current.get("reply_markup") or {}
        rows = markup.get("inline_keyboard", [])
        if row is not None:
            rows = rows[row:row + 1]
        data = next((b["callback_data"] for buttons in rows
                     for b in buttons if b["text"].lstrip("✅").startswith(label)), None)
        if data is None:
            raise DemoFailed(DemoFailure.NO_BUTTON, who=self.name, label=label)
        shown = next(b["text"] for row in markup["inline_keyboard"] for b in row
                     if b.get("callback_data") == data)
        self.stage.transcript.user(self.name,
                                   self.stage.transcript.tr._("taps [{label}]", label=shown))
        answers = len(await self.stage.client.callback_answers(self.stage.token))
        await self.stage.client.tap(self.stage.token, self.user_id, message["message_id"], data)

        async def answered() -> bool:
            return len(await self.stage.client.callback_answers(self.stage.token)) > answers

        await self._wait(answered)
        answer = (await self.stage.client.callback_answers(self.stage.token))[answers]
        await self.stage.settled()
        await self.show_news()
        text = answer.get("text")
        if text and not set(text) <= {"⭐"}:
            self.stage.transcript.toast(text)
