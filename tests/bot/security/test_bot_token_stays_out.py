"""The bot token never reaches the log or the database, whatever the Bot API server answers.

A misconfigured proxy in front of a local Bot API server can answer with a redirect loop;
aiohttp then gives up with an error whose text is the request URL — `/bot<token>/<method>`.
aiogram logs it as it is when polling fails, and the outbox stored it as the row's last
error: the token, which lets anyone run the bot, in the log files and the database.
"""

from __future__ import annotations

import asyncio
import io
import logging
import time
from collections.abc import Iterator

import pytest
from sqlmodel import select

from bot.logging import setup_logging
from surveys.core.config import DispatchConfig
from surveys.core.pii import mask_secrets
from surveys.models import OutboxMessage
from tests.fixtures.chat import Harness, running_bot
from tests.fixtures.faults import EVERY_CALL, survey_under_fault

FAST_RETRIES = DispatchConfig(tick_seconds=0.1, per_chat_interval_seconds=0.0,
                              retry_base_seconds=0.1, retry_max_seconds=0.3)
SECRET_PART = "AAE-ownervoice-test-token"  # tests.fixtures.chat.TOKEN after the bot id


@pytest.fixture
def log_text() -> Iterator[io.StringIO]:
    """The process log as `ownervoice run` writes it (the project's handler and formatter)."""
    stream = io.StringIO()
    handler = setup_logging("INFO", stream)
    try:
        yield stream
    finally:
        logging.getLogger().removeHandler(handler)


async def _first_error(h: Harness, timeout: float = 10) -> str:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        async with h.db() as s:
            row = (await s.exec(select(OutboxMessage))).first()
        if row is not None and row.last_error:
            return row.last_error
        await asyncio.sleep(0.1)
    raise AssertionError("the outbox row never recorded a failure")


@pytest.mark.slow  # ~10 s on aiogram (its polling backs off); the two below guard quickly
async def test_a_proxy_redirect_loop_leaves_the_token_out_of_the_log_and_the_outbox(
    db_url: str, log_text: io.StringIO
) -> None:
    async with running_bot(db_url, dispatch=FAST_RETRIES) as h:
        owner = await survey_under_fault(h, "WO-LOOP", "redirect", count=EVERY_CALL,
                                         methods=("sendMessage", "getUpdates"))
        last_error = await _first_error(h)
        await asyncio.sleep(1.5)  # polling meets the loop too, and logs it
        await h.client.clear_faults()
        await owner.wait_survey(timeout=15)
        reply = await owner.send("/help")
    logged = log_text.getvalue()
    assert SECRET_PART not in last_error, last_error
    assert SECRET_PART not in logged, logged
    assert reply["text"]  # the bot works on once the proxy is fixed


def test_bot_tokens_are_masked_in_urls_and_on_their_own() -> None:
    text = ("url='http://127.0.0.1:8081/bot123456789:AAE-ownervoice-test-token/getUpdates' "
            "token 110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw.")
    masked = mask_secrets(text)
    assert "AAE-ownervoice-test-token" not in masked
    assert "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw" not in masked
    assert "/bot123456789:***/getUpdates" in masked  # which bot and method stay readable
    assert "110201543:***." in masked
    kept = "2026-12-05 23:31:27 WO-2026-0001:ok /s/abcd…"
    assert mask_secrets(kept) == kept


def test_an_http_error_naming_the_request_url_is_logged_without_the_token(
    log_text: io.StringIO
) -> None:
    url = "http://127.0.0.1:8081/bot123456789:AAE-ownervoice-test-token/getUpdates"
    logging.getLogger("aiogram.dispatcher").error(
        "Failed to fetch updates - %s: %s", "TelegramNetworkError",
        f"HTTP Client says - TooManyRedirects: 0, message='', url='{url}'")
    assert SECRET_PART not in log_text.getvalue()
    assert "/bot123456789:***/getUpdates" in log_text.getvalue()
