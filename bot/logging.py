"""Process logging: one stderr handler that never shows a full phone number, link or bot token.

Nor does it write a control character or direction mark as it is (`\\x9b`, `\\u202e`): what a
request or a person sent must not drive the operator's terminal or reverse a line.

Below INFO, the database drivers print SQL parameters and result rows and PTB prints whole
Bot API payloads: owners' comments, names and phones. Those loggers stop at INFO unless
`log_personal_data = true` asks for them (SQL parameters are also hidden by the engine,
see `surveys.core.db.create_engine`). httpx logs each request URL, which holds the bot
token, at INFO: it stops at WARNING always.
"""

from __future__ import annotations

import logging
import sys
import warnings

from aiohttp.http_exceptions import HttpProcessingError

from surveys.core.pii import mask_phones, mask_secrets
from surveys.core.text import shown_lines

__all__ = ["PhoneMaskFilter", "PhoneMaskingFormatter", "mask_phones", "setup_logging"]


class PhoneMaskingFormatter(logging.Formatter):
    """Format records (message, arguments and traceback) with phone numbers masked.

    Controls and direction marks are shown as escapes: a request's headers (aiohttp's access
    log) and other outside text must not drive the operator's terminal or reverse a line.
    """

    def format(self, record: logging.LogRecord) -> str:
        return shown_lines(mask_secrets(mask_phones(super().format(record))))


class PhoneMaskFilter(logging.Filter):
    """Mask phone numbers in a record's message for handlers with their own formatter."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = shown_lines(mask_secrets(mask_phones(message)))
        if masked != message:
            record.msg, record.args = masked, ()
        return True


class MalformedRequestFilter(logging.Filter):
    """Log a request aiohttp's parser refused (bad header, bad chunk) in one INFO line.

    aiohttp logs each at ERROR with the parser's traceback, and anyone who can reach the
    public web survey's port can send them: no bug of ours, and no page for the operator.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, HttpProcessingError):
            reason = " ".join(str(exc.message).split())[:200]
            record.msg, record.args = "refused a malformed HTTP request from %s: %s", (
                record.args[0] if isinstance(record.args, tuple) and record.args else "?",
                reason)
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info = record.exc_text = None
        return True


FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
HTTP_SERVER_LOGGER = "aiohttp.server"
# Below INFO these print SQL parameters and rows or whole Bot API payloads.
PERSONAL_DATA_LOGGERS = ("aiosqlite", "asyncpg", "telegram", "httpcore")
SQL_LOGGER = "sqlalchemy.engine"  # SQLAlchemy keeps it at WARNING unless asked
SECRET_LOGGERS = ("httpx",)
MIGRATIONS_LOGGER = "alembic"
UNKNOWN_UPDATE_WARNING = "Detected unknown update type"


def setup_logging(level: str | int = "INFO", stream: object = None, *,
                  personal_data: bool = False) -> logging.Handler:
    """Configure the root logger once; return the handler installed."""
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    handler.setFormatter(PhoneMaskingFormatter(FORMAT))
    handler.addFilter(PhoneMaskFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_ownervoice", False):
            root.removeHandler(old)
    handler._ownervoice = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level if isinstance(level, int) else level.upper())
    # aiogram logs every handled update at INFO; keep that for debugging only.
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    floor = max(root.level, logging.INFO)  # never more verbose than the root asks
    for name in PERSONAL_DATA_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET if personal_data else floor)
    # Statements with their parameters only when asked for, at DEBUG.
    sql_shown = personal_data and root.level <= logging.DEBUG
    logging.getLogger(SQL_LOGGER).setLevel(logging.INFO if sql_shown else logging.WARNING)
    for name in SECRET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    # Alembic narrates its plugins and context at INFO on every start; its warnings still show.
    logging.getLogger(MIGRATIONS_LOGGER).setLevel(
        logging.NOTSET if root.level <= logging.DEBUG else logging.WARNING)
    server = logging.getLogger(HTTP_SERVER_LOGGER)
    if not any(isinstance(f, MalformedRequestFilter) for f in server.filters):
        server.addFilter(MalformedRequestFilter())
    # Python warnings go through this handler too, so they are masked like every log line.
    logging.captureWarnings(True)
    # aiogram's warning about an update type it does not know prints the whole raw update
    # (names, texts): a payload, shown only when personal data is asked for.
    if not personal_data:
        warnings.filterwarnings("ignore", message=UNKNOWN_UPDATE_WARNING, category=RuntimeWarning)
    return handler
