"""`ownervoice classify learn`: refresh the classifier from the tag corrections people made.

Reads the applied corrections (and the complaints people let stand) from the configured
database, retrains the learned heads and the lexicon overrides with them plus the shipped
training rows (`scoring.classifier.learning`; `--base FILE`: other labelled rows instead),
and writes the model to `classifier.data_dir`. The bot loads it at start-up and picks up a
newer one within a minute. Every failure is a `CliError`: one translated line, exit code 2
(`bot.cli.errors`).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from bot.cli.errors import N_, CliError, terminal_tr

if TYPE_CHECKING:
    from bot.config import Settings
    from surveys.core.db import SessionFactory

NO_CORRECTIONS = N_("ownervoice classify learn: no tag corrections are stored yet, so there is "
                    "nothing to learn; correct some complaint tags in chat first (✏️ Correct "
                    "tags)")
IN_PACKAGE = N_("ownervoice classify learn: {dir} is inside the installed package; set "
                "classifier.data_dir to a directory of its own, e.g. /var/lib/ownervoice/"
                "classifier")
UNWRITABLE = N_("ownervoice classify learn: cannot write to {dir}; check the path and "
                "permissions")
BROKEN = N_("ownervoice classify: {dir} holds no usable learned model (a broken or half-copied "
            "manifest); run `ownervoice classify learn` again, or remove the directory to use "
            "the shipped model")
BAD_BASE = N_("ownervoice classify learn: cannot learn on {file}: it must be a UTF-8 file of "
               "labelled rows, one JSON object a line with text, polarity, complaint and "
               "aspects (as in scoring/data/train.jsonl)")
BASE_WITHOUT_LEARN = N_("ownervoice classify: --base is for `ownervoice classify learn` only; "
                        "classifying uses the shipped or the learned model")
LEARNED = N_("Learned from {corrections} corrections and {confirmed} confirmed complaints: "
             "{overrides} lexicon overrides, model {version} in {dir}. A running bot uses it "
             "within a minute.")
MESSAGES = {"no_corrections": NO_CORRECTIONS, "in_package": IN_PACKAGE,
            "unwritable": UNWRITABLE, "broken": BROKEN}


def data_dir(explicit: str | None) -> Path:
    """Return the learned-model directory: the one given, else the configured one."""
    if explicit:
        return Path(explicit)
    from bot.config import load_settings  # why: plain `classify FILE` reads no settings

    return Path(load_settings().classifier.data_dir)


def refuse_base() -> NoReturn:
    """Refuse --base outside `classify learn` (CliError)."""
    raise CliError(BASE_WITHOUT_LEARN)


def use_learned(directory: Path) -> None:
    """Classify with the model learned into `directory` (CliError if it is broken)."""
    # why: the learning module is needed only with --learned / --data-dir
    from scoring.classifier import learning

    try:
        learning.activate(directory)
    except learning.LearningError as exc:
        raise CliError(MESSAGES[exc.code], dir=directory) from None


async def _examples(db: SessionFactory, settings: Settings) -> tuple[list[Any], list[Any]]:
    # why: the database layer loads only for `learn`, so `classify FILE` starts fast
    from surveys.complaints.correction_views import confirmed_examples, training_examples
    from surveys.core import clock

    seen_before = clock.now() - timedelta(days=settings.classifier.confirm_after_days)
    return (await training_examples(db=db),
            await confirmed_examples(db=db, seen_before=seen_before))


def learn(args: argparse.Namespace) -> int:
    """Run `classify learn`; return the exit code (failures raise CliError)."""
    # why: asyncio, the database and numpy load only for `learn` (classify FILE stays light)
    import asyncio

    from bot.cli._db import with_current_db
    from bot.config import load_settings
    from scoring.classifier import learning

    directory = Path(args.data_dir or load_settings().classifier.data_dir)
    try:
        base = learning.read_base(Path(args.base)) if args.base else None
    except learning.LearningError:
        raise CliError(BAD_BASE, file=args.base) from None
    corrected, confirmed = asyncio.run(with_current_db(None, _examples))

    def convert(rows: list[Any]) -> list[learning.Correction]:
        return [learning.Correction(r.text, r.aspects, r.complaint) for r in rows]

    try:
        done = learning.learn(convert(corrected), confirmed=convert(confirmed),
                              directory=directory, base=base)
    except learning.LearningError as exc:
        raise CliError(MESSAGES[exc.code], dir=directory) from None
    tr = terminal_tr(args.lang)
    print(tr._(LEARNED, corrections=done.corrections, confirmed=len(confirmed),
               overrides=done.overrides, version=done.version, dir=done.directory),
          file=sys.stdout)
    return 0


def env_for_child(database_url: str, directory: str) -> dict[str, str]:
    """Return the environment of a `classify learn` run on behalf of a running bot."""
    return {**os.environ, "OWNERVOICE_DATABASE__URL": database_url,
            "OWNERVOICE_CLASSIFIER__DATA_DIR": directory}
