"""argparse in the terminal's language: our help texts and argparse's own words.

Help texts stay plain English in the code (the msgids); `Formatter` translates each one when
help is shown, and `Parser` lets argparse's own texts ("usage:", "the following arguments are
required: %s", ...) through the same catalogs (locales/*/LC_MESSAGES/cli_help.po) while it
parses, formats or reports an error. The catalogs load only then, so a command that parses
cleanly never loads them (`ownervoice classify` stays quick to start).
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, NoReturn

from bot.cli.errors import terminal_tr

if TYPE_CHECKING:
    from bot.i18n import Translator


@cache
def _tr() -> Translator:
    return terminal_tr()


def gettext(message: str) -> str:
    """Translate a text argparse formats itself with %-placeholders (no {} filling)."""
    return _tr().gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The plural form of an argparse text, translated."""
    return _tr().ngettext(singular, plural, n)


@contextlib.contextmanager
def _speaking() -> Iterator[None]:
    # why a patch: argparse calls its module-level gettext `_`/`ngettext` (bound at import to
    # the stdlib's, which cannot read our babel catalogs) at parse and format time; nested
    # parsers (subcommands) re-enter, so the previous pair is restored, not the stdlib's.
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = gettext, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class Formatter(argparse.HelpFormatter):
    """Help whose texts, section headings and usage prefix are translated when shown."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return gettext(action.help) if action.help else action.help

    def _format_text(self, text: str) -> str:
        return super()._format_text(gettext(text))

    def start_section(self, heading: str | None) -> None:
        super().start_section(gettext(heading) if heading else heading)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser (subcommands too) that speaks the terminal's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        # why: argparse words "unrecognized arguments" here, after parse_known_args returned
        with _speaking():
            return super().parse_args(args, namespace)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        with _speaking():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _speaking():
            return super().format_usage()

    def format_help(self) -> str:
        with _speaking():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        with _speaking():
            super().error(message)


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """The parsers of a parser's actions (each once: aliases share one)."""
    found: list[argparse.ArgumentParser] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.extend(dict.fromkeys(action.choices.values()))
    return found


def share_option(parser: argparse.ArgumentParser, dest: str, *,
                 inherited: argparse.Action | None = None) -> None:
    """Let every action under a group also take the group's option (`db upgrade --db-url`).

    The copy defaults to nothing (SUPPRESS), so a value given before the action stays.
    """
    own = next((a for a in parser._actions if a.dest == dest), None)
    if own is None and inherited is not None:
        parser.add_argument(*inherited.option_strings, dest=dest, default=argparse.SUPPRESS,
                            help=inherited.help)
    for sub in _subparsers(parser):
        share_option(sub, dest, inherited=own or inherited)
