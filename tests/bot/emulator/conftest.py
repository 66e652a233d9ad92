"""Fixtures for the emulator's own tests: a running emulator and a registered user."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.emulator import EmulatorServer, running_emulator

TOKEN = "123456:TEST-token_abc"
USER_ID = 5001


@pytest.fixture
async def emu() -> AsyncIterator[EmulatorServer]:
    """Yield a running emulator with one registered user (USER_ID)."""
    async with running_emulator() as server:
        await server.client.user(USER_ID, "王", last_name="小明", username="xiaoming")
        yield server
