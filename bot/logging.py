"""Process logging: one stderr handler whose output never shows a full phone number."""

from __future__ import annotations

import logging
import re
import sys

# 11-digit mainland mobiles, optionally +86 / 86 prefixed; digits around must not continue.
_PHONE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")


def mask_phones(text: str) -> str:
    """Replace every phone number in a text by its masked form (138****5678)."""
    return _PHONE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)


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
