"""Helpers for the hostile-input review: a bot that does not throttle, the polite check, and
the project's own error log lines."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from bot.conversation.core import GENERIC_ERROR
from bot.conversation.throttle import Throttle
from bot.i18n import translator

# Hostile tests send many commands in a row; the rate limit has its own tests.
NO_THROTTLE: dict[str, Any] = {
    "conversation_options": {"throttle": Throttle(capacity=10**6, rate=1000.0)}}
TELEGRAM_MAX_TEXT = 4096


def polite(reply: dict[str, Any]) -> str:
    """Return a reply's text after checking it is a real answer, not the failure message."""
    text = str(reply.get("text") or reply.get("caption") or "")
    assert text, reply
    for locale in ("zh_CN", "en"):
        assert text != translator(locale)._(GENERIC_ERROR), reply
    assert "Traceback" not in text
    assert len(text) <= TELEGRAM_MAX_TEXT
    return text


@pytest.fixture
def errors_logged(caplog: pytest.LogCaptureFixture) -> Callable[[], list[str]]:
    """Capture the log from INFO up; return what lists the ERROR lines the project's own
    loggers wrote so far (a traceback there means a bug, not a refusal handled)."""
    caplog.set_level(logging.INFO)
    return lambda: [r.getMessage() for r in caplog.records
                    if r.levelno >= logging.ERROR and r.name.split(".")[0] in ("bot", "surveys")]
