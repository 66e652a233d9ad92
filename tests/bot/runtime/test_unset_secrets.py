"""A deployment started without the API token or the invite secret is told so in its log."""

from __future__ import annotations

import logging

import pytest

from bot.api import create_api_app
from bot.app import build_app
from bot.config import ApiConfig, InviteConfig
from bot.emulator.core import Emulator
from bot.emulator.server import EmulatorServer
from tests.fixtures.chat import settings_for
from tests.fixtures.terminal import closed_port


async def _warnings(db_url: str, caplog: pytest.LogCaptureFixture, *, api_token: str,
                    invite_secret: str) -> list[str]:
    """Wire the bot and its intake API as `ownervoice run` does; return the WARNING lines."""
    caplog.set_level(logging.WARNING)
    emulator = EmulatorServer(Emulator(), "127.0.0.1", closed_port())
    settings = settings_for(emulator, db_url,
                            api=ApiConfig(host="127.0.0.1", port=0, token=api_token),
                            invites=InviteConfig(secret=invite_secret))
    app = build_app(settings, serve_api=False, schedule=False)
    create_api_app(db=app.db, settings=app.settings)
    await app.engine.dispose()
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


async def test_an_empty_api_token_and_invite_secret_are_each_warned_with_the_variable_to_set(
        db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    # An operator following the compose file's set-up lines got a bot whose intake API
    # refused every call (403) and whose buttons hung on the bot token, and no line said so.
    said = await _warnings(db_url, caplog, api_token="", invite_secret="")
    assert any("api.token is not set" in line and "OWNERVOICE_API__TOKEN" in line
               for line in said), said
    assert any("invites.secret is not set" in line and "OWNERVOICE_INVITES__SECRET" in line
               for line in said), said


async def test_a_deployment_with_both_secrets_set_is_not_warned(
        db_url: str, caplog: pytest.LogCaptureFixture) -> None:
    said = await _warnings(db_url, caplog, api_token="a-token", invite_secret="a-secret")
    assert not [line for line in said if "is not set" in line]
