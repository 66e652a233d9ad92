"""PTB glue fixtures: a running emulator and a real PTB Bot (and messenger) pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from bot.emulator import EmulatorServer, running_emulator
from bot.ptb_app.messenger import PtbMessenger

TOKEN = "424242:ptb-glue-test-token"
USER_ID = 6001


@pytest.fixture
async def emu() -> AsyncIterator[EmulatorServer]:
    """Yield a running emulator with one registered user (USER_ID)."""
    async with running_emulator() as server:
        await server.client.user(USER_ID, "赵", language_code="zh-hans")
        yield server


@pytest.fixture
async def ptb_bot(emu: EmulatorServer) -> AsyncIterator[Bot]:
    """Yield an initialised PTB Bot talking HTTP to the emulator."""
    bot = Bot(TOKEN, base_url=f"{emu.base_url}/bot", base_file_url=f"{emu.base_url}/file/bot")
    async with bot:
        yield bot


@pytest.fixture
def messenger(ptb_bot: Bot) -> PtbMessenger:
    """Return the production PTB messenger over the test bot."""
    return PtbMessenger(ptb_bot)
