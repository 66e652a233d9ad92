"""Webhook replicas on one database: an update Telegram delivers to two of them is handled once.

Each replica is a whole app of its own (engine, runtime, conversation): one runs aiogram, the
other python-telegram-bot, and both are handed the same update at once, as two replicas behind
one webhook URL are when Telegram redelivers it.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.app import App, build_app
from bot.emulator.server import EmulatorServer, running_emulator
from bot.runtime.events import route
from bot.runtime.handle import bot_id_from_token
from surveys.core.clock import FrozenClock
from surveys.core.handled_updates import LEASE, Outcome, try_claim
from tests.fixtures.chat import RUNTIMES, STRANGER, TOKEN, settings_for
from tests.fixtures.updates import message, next_id


@asynccontextmanager
async def replicas(db_url: str, runtimes: tuple[str, ...]
                   ) -> AsyncIterator[tuple[EmulatorServer, list[App]]]:
    """Start one emulator and one app per runtime, all on the same database."""
    async with running_emulator() as emulator, AsyncExitStack() as stack:
        apps = [await stack.enter_async_context(build_app(
            settings_for(emulator, db_url, runtime=runtime),
            polling=False, serve_api=False, schedule=False)) for runtime in runtimes]
        await emulator.client.user(STRANGER.user_id, STRANGER.name)
        yield emulator, apps


def help_update() -> dict[str, Any]:
    """A /help the stranger sends, as Telegram posts it to the webhook."""
    return {"update_id": next_id(), "message": message(
        STRANGER, text="/help", entities=[{"type": "bot_command", "offset": 0, "length": 5}])}


async def _replies(emulator: EmulatorServer) -> int:
    return len(await emulator.client.bot_messages(TOKEN, STRANGER.user_id))


async def test_an_update_delivered_to_two_replicas_at_once_is_handled_by_exactly_one(
        db_url: str) -> None:
    async with replicas(db_url, RUNTIMES) as (emulator, apps):
        assert [app.runtime.name for app in apps] == list(RUNTIMES)
        for round_ in range(4):
            update = help_update()
            order = apps if round_ % 2 == 0 else apps[::-1]
            await asyncio.gather(*(app.runtime.feed_update(dict(update)) for app in order))
            await asyncio.sleep(0.2)  # a second handling would have answered by now
            assert await _replies(emulator) == round_ + 1, f"round {round_}"
        last = (await emulator.client.bot_messages(TOKEN, STRANGER.user_id))[-1]
        assert "/stop" in last["text"]  # the help text, in the stranger's Chinese


@pytest.mark.parametrize("runtime", RUNTIMES)
async def test_an_update_whose_replica_died_mid_handling_is_handled_after_its_lease(
        db_url: str, runtime: str) -> None:
    clock = FrozenClock(datetime(2026, 11, 16, 10, 0)).install()
    try:
        async with replicas(db_url, (runtime,)) as (emulator, [app]):
            update = help_update()
            # The replica that got it first claimed it and was killed: its claim stays behind.
            assert await try_claim(db=app.db, bot_id=bot_id_from_token(TOKEN),
                                   update_id=update["update_id"], token="killed") is Outcome.CLAIMED
            redelivered = asyncio.create_task(app.runtime.feed_update(update))
            await asyncio.sleep(0.3)
            assert await _replies(emulator) == 0  # held while the claim may still be alive
            assert not redelivered.done()  # not acknowledged either: Telegram would drop it
            clock.advance(LEASE + timedelta(seconds=1))
            await asyncio.wait_for(redelivered, 10)
            assert await _replies(emulator) == 1
            await app.runtime.feed_update(update)  # handled now: a later copy is dropped
            await asyncio.sleep(0.2)
            assert await _replies(emulator) == 1
    finally:
        FrozenClock.uninstall()


async def test_an_update_whose_handling_failed_is_handled_when_it_comes_again(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    failures = [RuntimeError("database gone for a moment")]

    async def route_failing_once(*args: Any) -> Any:
        if failures:
            raise failures.pop()
        return await route(*args)

    monkeypatch.setattr(sys.modules["bot.runtime.handle"], "route", route_failing_once)
    async with replicas(db_url, RUNTIMES) as (emulator, [first, second]):
        update = help_update()
        await first.runtime.feed_update(dict(update))
        apology = await emulator.client.wait_for(TOKEN, STRANGER.user_id, count=1)
        assert "/stop" not in apology[0]["text"]  # the polite failure message, not the help
        await second.runtime.feed_update(dict(update))  # Telegram's next copy, elsewhere
        answers = await emulator.client.wait_for(TOKEN, STRANGER.user_id, count=2)
        assert "/stop" in answers[1]["text"]
