"""Process logging: one stderr handler whose output never shows a full phone number."""

from __future__ import annotations

import logging
import sys

from surveys.core.pii import mask_phones

__all__ = ["PhoneMaskFilter", "PhoneMaskingFormatter", "mask_phones", "setup_logging"]


class PhoneMaskingFormatter(logging.Formatter):
    """Format records (message, arguments and traceback) with phone numbers masked."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_phones(super().format(record))


class PhoneMaskFilter(logging.Filter):
    """Mask phone numbers in a record's message for handlers with their own formatter."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_phones(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(level: str | int = "INFO", stream: object = None) -> logging.Handler:
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
    return handler
