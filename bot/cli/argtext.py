"""argparse in the terminal's language: our help texts and argparse's own words.

Help texts stay plain English in the code (the msgids); `Formatter` translates each one when
help is shown, and `Parser` lets argparse's own texts ("usage:", "the following arguments are
required: %s", ...) through the same catalogs (locales/*/LC_MESSAGES/cli_help.po) while it
parses, formats or reports an error. The catalogs load only then, so a command that parses
cleanly never loads them (`ownervoice classify` stays quick to start).

A usage mistake is one line on stderr and exit code 2, like every other CLI error: what went
wrong, worded by the catalog (whose msgstrs, English too, say what to write instead), then
where to read more (`ownervoice report --help`). No usage block, and no type name such as
"int": a number the person mistyped is named as a whole number or a number.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from bot.cli.errors import EXIT_ERROR, N_, terminal_tr

if TYPE_CHECKING:
    from bot.i18n import Translator

USAGE_MISTAKE = N_("{prog}: {problem} (see `{prog} --help`)")
NO_SUCH_COMMAND = N_("there is no command %(value)r; choose from %(choices)s")
OPTION_AFTER_COMMAND = N_("%(option)s goes after the command, e.g. %(example)s")
# What a value of each type is called, instead of the type's name ("invalid int value").
NOT_OF_TYPE: dict[object, str] = {
    int: N_("%(value)r is not a whole number; write digits, e.g. 10"),
    float: N_("%(value)r is not a number; write e.g. 1.5"),
}
# Where the innermost (sub)parser leaves itself, so extra words are reported by the
# subcommand they were typed after (`ownervoice report: ...`), not by `ownervoice`.
_SPEAKER = "_ownervoice_parser"
HEADING = N_("%(heading)s:")
# What a positional argument is called in usage, help and mistakes (its metavar or dest).
# Each is a msgid of its own (CODE, not code): the catalogs merge into one, and a table
# header "name" (姓名) must not name a community's name argument.
POSITIONAL_NAMES = (N_("ACTION"), N_("CODE"), N_("COMMAND"), N_("FILE"), N_("ID"), N_("KIND"),
                    N_("NAME"), N_("REV"), N_("key"), N_("period"), N_("role"), N_("text"),
                    N_("URL"))
_STDLIB_ACTION_NAME = argparse._get_action_name


def _tr() -> Translator:
    # Not cached: the terminal's language is read each time (tests switch it in-process).
    return terminal_tr()


def gettext(message: str) -> str:
    """Translate a text argparse formats itself with %-placeholders (no {} filling)."""
    return _tr().gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate the plural form of an argparse text."""
    return _tr().ngettext(singular, plural, n)


@contextlib.contextmanager
def _speaking() -> Iterator[None]:
    # why a patch: argparse calls its module-level gettext `_`/`ngettext` (bound at import to
    # the stdlib's, which cannot read our babel catalogs) at parse and format time; nested
    # parsers (subcommands) re-enter, so the previous pair is restored, not the stdlib's.
    # The same holds for how a mistake names a positional argument (`_get_action_name`).
    saved = argparse._, argparse.ngettext, argparse._get_action_name  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = gettext, ngettext  # type: ignore[attr-defined]
    argparse._get_action_name = _action_name
    try:
        yield
    finally:
        argparse._, argparse.ngettext, argparse._get_action_name = saved  # type: ignore[attr-defined]


def _action_name(argument: argparse.Action | None) -> str | None:
    """Name an argument in a mistake: a positional's name in the terminal's language."""
    name: str | None = _STDLIB_ACTION_NAME(argument)
    if argument is not None and not argument.option_strings and name:
        return gettext(name)
    return name


class Formatter(argparse.HelpFormatter):
    """Help whose texts, section headings and usage prefix are translated when shown."""

    def _metavar_formatter(self, action: argparse.Action, default_metavar: str
                           ) -> Callable[[int], tuple[str, ...]]:
        format_ = super()._metavar_formatter(action, default_metavar)
        if action.option_strings:
            return format_  # an option's value placeholder (DB_URL) stays as written
        # add_argument formats a metavar too, only to check it, before anything is shown:
        # translated only while the parser speaks, so defining `classify FILE` loads no
        # catalogs (babel is ~50 ms of a classify run's start).
        return lambda size: (tuple(gettext(name) for name in format_(size))
                             if argparse._ is gettext  # type: ignore[attr-defined]
                             else format_(size))

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return gettext(action.help) if action.help else action.help

    def _format_text(self, text: str) -> str:
        return super()._format_text(gettext(text))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._headings: list[str] = []

    def start_section(self, heading: str | None) -> None:
        if heading:
            heading = gettext(heading)
            self._headings.append(heading)
        super().start_section(heading)

    def format_help(self) -> str:
        text = super().format_help()
        # argparse ends a heading with ":"; Chinese writes a full-width "：" (选项：).
        for heading in self._headings:
            text = text.replace(f"{heading}:\n", gettext(HEADING) % {"heading": heading} + "\n")
        return text


class Parser(argparse.ArgumentParser):
    """An ArgumentParser (subcommands too) that speaks the terminal's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        found, extras = self.parse_known_args(args, namespace)
        speaker = vars(found).pop(_SPEAKER, self)
        if extras:
            with _speaking():
                speaker.error(gettext("unrecognized arguments: %s") % " ".join(extras))
        return found

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        misplaced = self._misplaced_option(list(sys.argv[1:] if args is None else args))
        if misplaced is not None:
            self.error(gettext(OPTION_AFTER_COMMAND) % misplaced)
        with _speaking():
            found, extras = super().parse_known_args(args, namespace)
        # A subcommand's parser returns first: the innermost one keeps the place.
        if not hasattr(found, _SPEAKER):
            setattr(found, _SPEAKER, self)
        return found, extras

    def _misplaced_option(self, words: list[str]) -> dict[str, str] | None:
        """A command's option typed before the command (`ownervoice --db-url URL report`).

        argparse would take the option's value for the command ("there is no command
        'sqlite+…'"); say where the option goes instead.
        """
        for index, word in enumerate(words):
            if not word.startswith("--"):
                return None
            name = word.split("=", 1)[0]
            if any(own.startswith(name) for own in self._option_string_actions):
                continue
            if not any(name in sub._option_string_actions for sub in _descendants(self)):
                return None
            path: list[str] = []
            parser: argparse.ArgumentParser = self
            for later in words[index + 1:]:
                choices = _choices(parser)
                if later in choices:
                    path.append(later)
                    parser = choices[later]
            example = " ".join([self.prog, *(path or [gettext("COMMAND")]), name, "…"])
            return {"option": name, "example": example}
        return None

    def format_usage(self) -> str:
        with _speaking():
            return super().format_usage()

    def format_help(self) -> str:
        with _speaking():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        """Say the mistake in one line on stderr, with where to read more, and exit 2."""
        line = _tr()._(USAGE_MISTAKE, prog=self.prog, problem=message)
        self.exit(EXIT_ERROR, " ".join(line.split()) + "\n")

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        if action.type in NOT_OF_TYPE:
            try:
                return action.type(arg_string)  # type: ignore[misc,operator]
            except (TypeError, ValueError):
                message = gettext(NOT_OF_TYPE[action.type]) % {"value": arg_string}
                raise argparse.ArgumentError(action, message) from None
        return super()._get_value(action, arg_string)

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if isinstance(action, argparse._SubParsersAction) and value not in action.choices:
            # "argument COMMAND: invalid choice" names a metavar; say it is not a command.
            choices = ", ".join(map(repr, action.choices))
            message = gettext(NO_SUCH_COMMAND) % {"value": value, "choices": choices}
            raise argparse.ArgumentError(None, message)
        super()._check_value(action, value)


def _choices(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parser's subcommands by name (none when it has none)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _descendants(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Every subcommand's parser under `parser`, at any depth."""
    for sub in _subparsers(parser):
        yield sub
        yield from _descendants(sub)


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
