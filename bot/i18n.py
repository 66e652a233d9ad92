"""Gettext catalogs from `locales/<lang>/LC_MESSAGES/*.po`, zh_CN by default.

Each feature keeps its own .po file (owner.po, agent.po, manager.po, ...); all files of a
language are merged into one catalog, where the first file's msgstr of a msgid wins (a test
keeps a msgid in two files worded the same). Catalogs are compiled in memory with Babel, so a fresh
checkout needs no build step. msgids are English; the `en` catalog may leave msgstr empty.
"""

from __future__ import annotations

import gettext as _gettext
import io
import os
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(
    os.environ.get("OWNERVOICE_LOCALES_DIR", Path(__file__).resolve().parent.parent / "locales")
)
DEFAULT_LOCALE = "zh_CN"
SUPPORTED_LOCALES = ("zh_CN", "en")


def pick_locale(language_code: str | None, default: str = DEFAULT_LOCALE) -> str:
    """Map a Telegram language_code (zh-hans, en-US, ...) to a supported locale."""
    if not language_code:
        return default
    code = language_code.lower().replace("_", "-")
    if code.startswith("zh"):
        return "zh_CN"
    if code.startswith("en"):
        return "en"
    return default


def operator_locale() -> str:
    """Return the language of the person running the process: LC_ALL, LC_MESSAGES or LANG."""
    env = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG")
    return pick_locale(env)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it (translated later with `_`)."""
    return message


@cache
def _catalog(locale: str) -> _gettext.NullTranslations:
    merged = Catalog(locale=locale)
    for po_file in sorted((LOCALES_DIR / locale / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as fh:
            for message in read_po(fh, locale=locale):
                if message.id and message.string:
                    merged[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


class Translator:
    """Translate and format texts for one locale: `tr._("Hello, {name}", name=...)`."""

    def __init__(self, locale: str = DEFAULT_LOCALE) -> None:
        self.locale = locale if locale in SUPPORTED_LOCALES else DEFAULT_LOCALE
        self._translations = _catalog(self.locale)

    def _(self, message: str, /, **values: object) -> str:
        """Translate a message and fill its {placeholders}."""
        text = self._translations.gettext(message)
        return text.format(**values) if values else text

    def gettext(self, message: str, /) -> str:
        """Translate a message as it is (a text with %-placeholders, such as argparse's)."""
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        """Translate a plural message as it is, without filling placeholders."""
        return self._translations.ngettext(singular, plural, n)

    def n_(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """Translate a message with a plural form; `n` is also available as {n}."""
        text = self._translations.ngettext(singular, plural, n)
        return text.format(n=n, **values)


def translator(locale: str | None) -> Translator:
    """Return the translator for a locale (unknown or None -> the default)."""
    return Translator(locale or DEFAULT_LOCALE)


def reload_catalogs() -> None:
    """Forget compiled catalogs (after an admin edits a .po file)."""
    _catalog.cache_clear()
