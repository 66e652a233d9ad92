"""Another process polling with the bot's token is said once, in the operator's language.

Telegram ends a getUpdates call with 409 Conflict when another one for the same token comes
in: a second `ownervoice run` (a test copy, a replica started in polling mode) and this one
then share the updates at random. aiogram logged "Failed to fetch updates -
TelegramConflictError: …" and a "Sleep for …" line on every round, PTB a traceback; the
operator gets one line saying what happens and what to do instead, and the bot goes on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import aiohttp
import pytest

from tests.fixtures.chat import OWNERS, running_bot

SAID = {
    "zh_CN.UTF-8": "另一个进程正在用同一个机器人令牌轮询 Bot API",
    "en_US.UTF-8": "Another process is polling the Bot API with this bot token",
}


@pytest.mark.parametrize("lang", list(SAID))
async def test_a_second_process_polling_with_the_token_is_said_once_in_the_operators_language(
        db_url: str, caplog: pytest.LogCaptureFixture, terminal: Callable[[str], None],
        lang: str) -> None:
    terminal(lang)
    caplog.set_level(logging.INFO)
    async with running_bot(db_url) as h:
        owner = h.owner(OWNERS[0])
        await owner.send("/help")
        polls = f"{h.settings.telegram.api_base}/bot{h.token}/getUpdates"
        async with aiohttp.ClientSession() as http:
            for _ in range(4):  # the other process: each of its polls ends ours with a 409
                async with http.get(polls, params={"timeout": "1"}) as answer:
                    await answer.read()
                await asyncio.sleep(0.5)
        reply = await owner.send("/help")  # the bot goes on once it polls alone
    said = [r for r in caplog.records if SAID[lang] in r.getMessage()]
    # httpx's request lines stay at WARNING in a running bot (bot.logging): not shown there.
    framework = [r.getMessage() for r in caplog.records
                 if r not in said and not r.name.startswith("httpx") and (
                     "Conflict" in r.getMessage() or "Sleep for" in r.getMessage()
                     or "while polling" in r.getMessage())]
    assert reply["text"]
    assert len(said) == 1 and said[0].levelno == logging.WARNING
    assert framework == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
