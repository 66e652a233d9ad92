"""One-line CLI messages in the reader's language, for the light subcommands (no settings)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO


class InputError(Exception):
    """What went wrong: `message` is an untranslated msgid, `values` fill it."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message)
        self.message = message
        self.values = values


def N_(message: str) -> str:
    """Mark a msgid for extraction (translated when the message is shown)."""
    return message


def say(args: argparse.Namespace, error: InputError, stream: TextIO | None = None) -> None:
    """Print a message in the reader's language (--lang, else LANG); stderr by default."""
    from bot.i18n import pick_locale, translator

    env = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG")
    tr = translator(args.lang or pick_locale(env))
    print(tr._(error.message, **error.values), file=stream or sys.stderr)
