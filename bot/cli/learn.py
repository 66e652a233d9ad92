"""`ownervoice classify learn`: refresh the classifier from the tag corrections people made.

Reads the applied corrections (and the complaints people let stand) from the configured
database, retrains the learned heads and the lexicon overrides with them plus the shipped
training rows (`scoring.classifier.learning`), and writes the model to `classifier.data_dir`.
The bot loads it at start-up and picks up a newer one within a minute. Every failure is one
translated line and exit code 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.cli.messages import N_, InputError, say

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
BAD_CONFIG = N_("ownervoice classify: the configuration is invalid ({reason}); see "
                "deploy/ownervoice.example.toml")
NO_DATABASE = N_("ownervoice classify learn: cannot read the database ({reason}); check "
                 "database.url and run `ownervoice db upgrade`")
LEARNED = N_("Learned from {corrections} corrections and {confirmed} confirmed complaints: "
             "{overrides} lexicon overrides, model {version} in {dir}. A running bot uses it "
             "within a minute.")
MESSAGES = {"no_corrections": NO_CORRECTIONS, "in_package": IN_PACKAGE,
            "unwritable": UNWRITABLE, "broken": BROKEN}


def data_dir(explicit: str | None) -> Path:
    """Return the learned-model directory: the one given, else the configured one."""
    if explicit:
        return Path(explicit)
    from pydantic import ValidationError

    from bot.config import load_settings

    try:
        return Path(load_settings().classifier.data_dir)
    except ValidationError as exc:
        raise InputError(BAD_CONFIG, reason=_first_error(exc)) from None


def _first_error(exc: Any) -> str:
    error = exc.errors()[0]
    return f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}"


def use_learned(directory: Path) -> None:
    """Classify with the model learned into `directory` (InputError if it is broken)."""
    from scoring.classifier import learning

    try:
        learning.activate(directory)
    except learning.LearningError as exc:
        raise InputError(MESSAGES[exc.code], dir=directory) from None


def _missing_sqlite_file(url: str) -> bool:
    """Tell whether a SQLite URL names a file that does not exist (connecting would create
    an empty one, or fail in aiosqlite's thread after the loop is gone)."""
    from sqlalchemy.engine import make_url

    from surveys.core.db import is_sqlite

    if not is_sqlite(url):
        return False
    name = make_url(url).database
    return bool(name) and name != ":memory:" and not Path(str(name)).is_file()


async def _examples(settings: Any) -> tuple[list[Any], list[Any]]:
    from surveys.complaints.correction_views import confirmed_examples, training_examples
    from surveys.core import clock
    from surveys.core.db import create_engine, session_factory

    engine = create_engine(settings.database.url)
    try:
        db = session_factory(engine)
        seen_before = clock.now() - timedelta(days=settings.classifier.confirm_after_days)
        return (await training_examples(db=db),
                await confirmed_examples(db=db, seen_before=seen_before))
    finally:
        await engine.dispose()


def learn(args: argparse.Namespace) -> int:
    """Run `classify learn`; return the exit code."""
    import asyncio  # here: plain `classify FILE` imports no asyncio (start-up time)

    from pydantic import ValidationError
    from sqlalchemy.exc import SQLAlchemyError

    from bot.config import load_settings
    from scoring.classifier import learning

    try:
        settings = load_settings()
    except ValidationError as exc:
        raise InputError(BAD_CONFIG, reason=_first_error(exc)) from None
    directory = Path(args.data_dir or settings.classifier.data_dir)
    if _missing_sqlite_file(settings.database.url):
        raise InputError(NO_DATABASE, reason="no such file")
    try:
        corrected, confirmed = asyncio.run(_examples(settings))
    except (SQLAlchemyError, OSError) as exc:
        raise InputError(NO_DATABASE, reason=type(exc).__name__) from None

    def convert(rows: list[Any]) -> list[learning.Correction]:
        return [learning.Correction(r.text, r.aspects, r.complaint) for r in rows]

    try:
        done = learning.learn(convert(corrected), confirmed=convert(confirmed),
                              directory=directory)
    except learning.LearningError as exc:
        raise InputError(MESSAGES[exc.code], dir=directory) from None
    say(args, InputError(LEARNED, corrections=done.corrections, confirmed=len(confirmed),
                         overrides=done.overrides, version=done.version, dir=done.directory),
        sys.stdout)
    return 0


def env_for_child(database_url: str, directory: str) -> dict[str, str]:
    """Return the environment of a `classify learn` run on behalf of a running bot."""
    return {**os.environ, "OWNERVOICE_DATABASE__URL": database_url,
            "OWNERVOICE_CLASSIFIER__DATA_DIR": directory}
