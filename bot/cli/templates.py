"""`ownervoice templates`: the reply templates (话术模板) agents pick, per company and language.

    ownervoice templates list [--lang en]             # what agents are offered, in order
    ownervoice templates set sorry --lang zh_CN "非常抱歉……"   # reword a default, or add a key
    ownervoice templates hide visit --lang zh_CN       # stop offering one
    ownervoice templates reset visit --lang zh_CN      # back to the default words
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from bot.cli._db import with_db
from bot.cli.errors import N_, CliError, terminal_tr

if TYPE_CHECKING:
    from bot.config import Settings
    from surveys.core.db import SessionFactory

T = TypeVar("T")

LISTED = N_("{number}. [{key}] {text}")
NONE_OFFERED = N_("no reply templates are offered in {language}")
STORED = N_("template {key} ({language}) stored")
HIDDEN = N_("template {key} ({language}) is no longer offered")
RESET = N_("template {key} ({language}) is back to its default words")
NO_SUCH = N_("ownervoice templates hide: there is no template “{key}” ({language}); "
             "'ownervoice templates list' shows the keys; nothing was changed")
NOTHING_TO_RESET = N_("template {key} ({language}) had no words of the company's own")
BAD = {
    "key": N_("ownervoice {command}: “{value}” is not a template key: use 1-20 lower-case "
              "letters, digits, - or _ (e.g. sorry, visit2); nothing was changed"),
    "language": N_("ownervoice {command}: language “{value}” is not offered; use zh_CN or en; "
                   "nothing was changed"),
    "text": N_("ownervoice {command}: a template needs 1-500 characters of text; nothing was "
               "changed"),
}


def register(subparsers: Any) -> None:
    """Add the `templates` parser."""
    parser = subparsers.add_parser("templates", help="reply templates agents pick (话术模板)")
    parser.add_argument("--db-url", help="database URL (default: database.url from config)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    listing = actions.add_parser("list", help="the templates agents are offered")
    listing.add_argument("--lang", dest="language", default="zh_CN", help="zh_CN (default), en")
    listing.set_defaults(func=_list)
    for name, helptext in (("set", "reword a template or add one"),
                           ("hide", "stop offering a template"),
                           ("reset", "give a default template its catalog words back")):
        action = actions.add_parser(name, help=helptext)
        action.add_argument("key", help="the template's key, as `templates list` shows it")
        if name == "set":
            action.add_argument("text", help="the template's new words")
        action.add_argument("--lang", dest="language", default="zh_CN",
                            help="zh_CN (default), en")
        action.set_defaults(func=_change)
    parser.set_defaults(func=_usage(parser))


def _usage(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    def show(_args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    return show


def _run(args: argparse.Namespace,
         action: Callable[[SessionFactory, Settings], Awaitable[T]]) -> T:
    from surveys.complaints.templates import BadTemplate  # why: CLI start-up stays fast

    try:
        return asyncio.run(with_db(args.db_url, action))
    except BadTemplate as exc:
        raise CliError(BAD[exc.field], value=exc.value) from exc


def _list(args: argparse.Namespace) -> int:
    from bot.i18n import translator  # why: babel loads only when there is something to say
    from bot.staff.templates import merged  # why: CLI start-up stays fast
    from surveys.complaints.templates import LANGUAGES, company_templates  # why: as above

    if args.language not in LANGUAGES:
        raise CliError(BAD["language"], value=args.language)
    own = _run(args, lambda db, _s: company_templates(db=db, language=args.language))
    offered = merged(translator(args.language), own)
    tr = terminal_tr()
    if not offered:
        print(tr._(NONE_OFFERED, language=args.language))
    for number, template in enumerate(offered, start=1):
        print(tr._(LISTED, number=number, key=template.key, text=template.text))
    return 0


async def _set(db: SessionFactory, args: argparse.Namespace, hide: bool) -> Any:
    from bot.staff.templates import DEFAULTS  # why: CLI start-up stays fast
    from surveys.complaints.templates import KEY_PATTERN, company_templates, set_template

    key = args.key.strip().lower()
    if hide and KEY_PATTERN.match(key):
        # A typo would otherwise store a hidden row and leave the real template offered.
        own = await company_templates(db=db, language=args.language)
        if key not in {d[0] for d in DEFAULTS} | {row.key for row in own}:
            raise CliError(NO_SUCH, key=key, language=args.language)
    return await set_template(db=db, key=args.key, language=args.language,
                              text=None if hide else args.text, active=not hide)


def _change(args: argparse.Namespace) -> int:
    # why: CLI start-up stays fast
    from surveys.complaints.templates import reset_template

    tr, values = terminal_tr(), {"key": args.key, "language": args.language}
    if args.action == "reset":
        had = _run(args, lambda db, _s: reset_template(db=db, key=args.key,
                                                        language=args.language))
        print(tr._(RESET if had else NOTHING_TO_RESET, **values))
        return 0
    hide = args.action == "hide"
    _run(args, lambda db, _s: _set(db, args, hide))
    print(tr._(HIDDEN if hide else STORED, **values))
    return 0
