"""What the command line says when something goes wrong: one translated line, exit code 2.

A command raises `CliError(msgid, **values)`; `bot.cli.main` prints it in the terminal's
language (LC_ALL / LC_MESSAGES / LANG, zh_CN unless English is asked for) and returns 2.
Whatever else escapes a command becomes one line too: `explain` names the known causes (a
port already in use, a database that cannot be opened or reached, an invalid configuration,
a person's mistake the domain refused) and the rest is "unexpected", with the traceback only
under `ownervoice -v` (and in a log configured at DEBUG).
"""

from __future__ import annotations

import errno
import re
import sys
import tomllib
from typing import TYPE_CHECKING, Any

from bot.errors import CannotListen, PortInUse
from surveys.core.errors import DomainError

if TYPE_CHECKING:
    from bot.i18n import Translator

EXIT_ERROR = 2


def N_(message: str) -> str:
    """Mark a msgid for extraction (translated when shown; bot.i18n loads lazily)."""
    return message


NO_DATABASE = N_("ownervoice {command}: there is no database at {where}; create it with "
                 "`ownervoice db upgrade` (or point --db-url / database.url at yours)")
NOT_MIGRATED = N_("ownervoice {command}: the database at {where} is at revision {current}, "
                  "this version needs {head}; run `ownervoice db upgrade` first")
BAD_URL = N_("ownervoice {command}: {url} is not a database URL; for a SQLite file write "
             "sqlite+aiosqlite:///{example}, for PostgreSQL "
             "postgresql+asyncpg://USER:PASSWORD@HOST/DATABASE")
CANNOT_OPEN = N_("ownervoice {command}: cannot open the SQLite file {path}: its folder does "
                 "not exist or is not writable")
DB_NAME_TOO_LONG = N_("ownervoice {command}: cannot open the SQLite file {path}: its name is "
                      "too long for the system")
CANNOT_REACH = N_("ownervoice {command}: cannot use the database at {where}: is it running, "
                  "and are the host, port, user, password and database name right?")
PORT_IN_USE = N_("ownervoice {command}: {host}:{port} is already in use by another process; "
                 "stop it or choose another port ({setting})")
BAD_CONFIG = N_("ownervoice {command}: invalid configuration ({fields}); see "
                "deploy/ownervoice.example.toml")
CANNOT_LISTEN = N_("ownervoice {command}: cannot listen on {host}:{port}: the address must be "
                   "one of this machine's and the port 0-65535 ({setting})")
NO_CONFIG_FILE = N_("ownervoice {command}: there is no configuration file {path}; check the "
                    "path given to --config (deploy/ownervoice.example.toml is an example)")
CONFIG_MISSING = N_("ownervoice {command}: there is no configuration file {path}, which "
                    "OWNERVOICE_CONFIG names; correct the path, or unset OWNERVOICE_CONFIG to "
                    "run on ./ownervoice.toml and the OWNERVOICE_* variables")
CONFIG_IS_FOLDER = N_("ownervoice {command}: {path} is a folder, not a configuration file; give "
                      "--config the path of the file itself, e.g. {example}")
CONFIG_FOLDER = N_("ownervoice {command}: {path} is a folder, not a configuration file; put the "
                   "file in its place (deploy/ownervoice.example.toml is an example) or give "
                   "--config the path of one")
BAD_TOML_AT = N_("ownervoice {command}: {path} is not valid TOML (line {line}, column "
                 "{column}); fix it as in deploy/ownervoice.example.toml")
BAD_TOML = N_("ownervoice {command}: {path} is not valid TOML; fix it as in "
              "deploy/ownervoice.example.toml")
CONFIG_NOT_UTF8 = N_("ownervoice {command}: {path} is not UTF-8 text; save it as UTF-8 (e.g. "
                     "iconv -f GBK -t UTF-8) and run the command again")
CONFIG_BOM = N_("ownervoice {command}: {path} starts with a byte order mark (BOM); save it as "
                "UTF-8 without BOM and run the command again")
NO_TOKEN = N_("ownervoice {command}: telegram.token is not set (put it in ownervoice.toml or "
              "set OWNERVOICE_TELEGRAM__TOKEN)")
CANNOT_WRITE = N_("ownervoice {command}: cannot write {path}; check the folder and permissions")
DISK_FULL = N_("ownervoice {command}: cannot write {path}: the disk is full; free some space and "
               "try again")
REFUSED = N_("ownervoice {command}: {reason}")
DEMO_FAILED = N_("ownervoice {command}: the demo stopped: {reason}; run `ownervoice -v demo` "
                 "to see the bot's log and the details")
DEMO_STOPPED = N_("ownervoice {command}: the demo stopped in step {number} ({step}): {reason}; "
                  "run `ownervoice -v demo` to see the bot's log and the details")
UNEXPECTED = N_("ownervoice {command}: unexpected error; run `ownervoice -v …` again to see "
                "the details")


class Msgid(str):
    """A value of a CliError that is itself a msgid: shown translated."""

    __slots__ = ()


class CliError(Exception):
    """A failure explained to the person at the terminal: a msgid and its values."""
    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message)
        self.message = message
        self.values = values


def cannot_write(exc: OSError, path: object) -> CliError:
    """Return the CLI error for a file that could not be written (a full disk says so)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return CliError(DISK_FULL, path=str(path))
    return CliError(CANNOT_WRITE, path=str(path))


def terminal_locale(lang: str | None = None) -> str:
    """Return the CLI's language: --lang, else the terminal's locale, else Chinese."""
    from bot.i18n import operator_locale  # why: babel loads only when there is something to say

    return lang or operator_locale()


def terminal_tr(lang: str | None = None) -> Translator:
    """Return the translator for what the command line prints."""
    from bot.i18n import translator  # why: babel loads only when there is something to say

    return translator(terminal_locale(lang))


def say(error: CliError, *, command: str, lang: str | None = None) -> None:
    """Print the error as one line on stderr, in the terminal's language."""
    tr = terminal_tr(lang)
    # A domain refusal is worded by the one message table, in the same language.
    values = {key: _worded(tr, value) for key, value in error.values.items()}
    text = tr._(error.message, command=command, **values)
    print(" ".join(text.split()), file=sys.stderr)


def _worded(tr: Translator, value: object) -> object:
    """A value that is a refusal or a demo's failure in words; any other value as it is."""
    from bot.demo.failures import DemoFailed, failure_text  # why: only on the error path
    from bot.render.errors import error_text  # why: only on the error path

    if isinstance(value, DomainError):
        return error_text(tr, value)
    if isinstance(value, DemoFailed):
        return failure_text(tr, value)
    if isinstance(value, Msgid):
        return tr._(value)
    return value


def say_refusal(exc: DomainError, *, lang: str | None = None) -> None:
    """Print `error: ` and why a domain service refused, from the message table."""
    from bot.i18n import translator  # why: babel loads only when there is something to say
    from bot.render.errors import error_text  # why: only on the error path

    tr = translator(terminal_locale(lang))
    print(tr._("error: {reason}", reason=error_text(tr, exc)), file=sys.stderr)


def _bad_toml(exc: tomllib.TOMLDecodeError) -> CliError:
    from bot.config import config_path  # why: only on the error path

    if _config_bytes().startswith(b"\xef\xbb\xbf"):  # what older Windows Notepad saves
        return CliError(CONFIG_BOM, path=config_path())
    # tomllib (3.11) keeps the position only in its English message: "(at line 3, column 6)".
    found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
    if found is None:
        return CliError(BAD_TOML, path=config_path())
    return CliError(BAD_TOML_AT, path=config_path(), line=found[1], column=found[2])


def _config_bytes() -> bytes:
    from bot.config import config_path  # why: only on the error path

    try:
        return config_path().read_bytes()
    except OSError:
        return b""


def _config_not_utf8() -> bool:
    try:
        _config_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _config_fields(exc: Any) -> str:
    return ", ".join(".".join(str(p) for p in err["loc"]) for err in exc.errors()) or "?"


def explain(exc: BaseException) -> CliError:
    """Turn an exception that escaped a command into the line the person reads."""
    from pydantic import ValidationError  # why: only on the error path

    from bot.config import ConfigIsFolder, ConfigMissing  # why: only on the error path
    from bot.demo.failures import DemoFailed  # why: only on the error path

    if isinstance(exc, CliError):
        return exc
    if isinstance(exc, PortInUse):
        return CliError(PORT_IN_USE, host=exc.host, port=exc.port, setting=exc.setting)
    if isinstance(exc, CannotListen):
        return CliError(CANNOT_LISTEN, host=exc.host, port=exc.port, setting=exc.setting)
    if isinstance(exc, ConfigIsFolder):
        return CliError(CONFIG_FOLDER, path=exc.path)
    if isinstance(exc, ConfigMissing):
        return CliError(CONFIG_MISSING, path=exc.path)
    if isinstance(exc, tomllib.TOMLDecodeError):
        return _bad_toml(exc)
    if isinstance(exc, UnicodeDecodeError) and _config_not_utf8():  # tomllib reads UTF-8 only
        from bot.config import config_path  # why: only on the error path

        return CliError(CONFIG_NOT_UTF8, path=config_path())
    if isinstance(exc, ValidationError) and exc.title == "Settings":
        return CliError(BAD_CONFIG, fields=_config_fields(exc))
    if isinstance(exc, DomainError):
        return CliError(REFUSED, reason=exc)
    if isinstance(exc, DemoFailed):
        if exc.step is None:
            return CliError(DEMO_FAILED, reason=exc)
        number, title = exc.step
        return CliError(DEMO_STOPPED, number=number, step=Msgid(title), reason=exc)
    return CliError(UNEXPECTED)  # its class name tells the reader nothing: -v shows it all
