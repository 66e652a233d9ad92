"""Another process polling with this bot's token: said in one line, in the operator's language.

Telegram ends a getUpdates call with 409 Conflict when a newer one for the same token comes
in. Two pollers then take turns, each getting some of the updates: a second `ownervoice run`
(a test copy on the production token, a replica started in polling mode). The frameworks
logged it in English on every round (aiogram an ERROR and a "Sleep for" line, PTB a
traceback); both runtimes' getUpdates requests report a 409 here instead, and their own lines
about it are dropped (`ConflictLines`, `bot.ptb_app.runtime`). Polling goes on: the other
process may be about to stop, and stopping this one could take a working bot down.
"""

from __future__ import annotations

import logging
import time

from bot.i18n import N_, operator_locale, translator

log = logging.getLogger(__name__)

# Said once, and again after this long while the conflict lasts (a journal read later on).
SAY_AGAIN_SECONDS = 3600.0

POLLING_CONFLICT = N_(
    "Another process is polling the Bot API with this bot token (Telegram answers 409 "
    "Conflict), so the two share the updates at random: stop the other one (another "
    "`ownervoice run`, a test copy, a replica not in webhook mode) or give one of them its "
    "own bot token from @BotFather; several replicas need telegram.mode = \"webhook\". This "
    "one keeps polling.")


class PollingConflict:
    """The 409s of one bot's getUpdates calls, said to the operator at most once an hour."""

    def __init__(self) -> None:
        self._said_at: float | None = None

    def seen(self) -> None:
        """Note a getUpdates call ended with 409 Conflict; say so unless said lately."""
        now = time.monotonic()
        if self._said_at is not None and now - self._said_at < SAY_AGAIN_SECONDS:
            return
        self._said_at = now
        log.warning(translator(operator_locale())._(POLLING_CONFLICT))


class ConflictLines(logging.Filter):
    """Drop aiogram's lines about a 409 on getUpdates (PollingConflict says it instead).

    aiogram logs "Failed to fetch updates - TelegramConflictError: …", then "Sleep for …",
    and "Connection established" once a poll succeeds again; other failures keep theirs.
    """

    def __init__(self) -> None:
        super().__init__()
        self._after_conflict = False

    def filter(self, record: logging.LogRecord) -> bool:
        """Return False for the dispatcher's lines that follow from a conflict."""
        message = str(record.msg)
        if message.startswith("Failed to fetch updates"):
            self._after_conflict = bool(record.args) and (
                record.args[0] == "TelegramConflictError")  # type: ignore[index]
            return not self._after_conflict
        if self._after_conflict and message.startswith("Sleep for"):
            return False
        if self._after_conflict and message.startswith("Connection established"):
            self._after_conflict = False
            return False
        return True
