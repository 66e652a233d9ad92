"""The learned classifier in the running bot: loaded at start-up, refreshed by a nightly job.

Learning runs as `ownervoice classify learn` in a process of its own (it swaps the process's
lexicons and model while it trains, and takes a few CPU-seconds); the bot then switches to
the new model. Replicas sharing `classifier.data_dir` pick it up within a minute
(`scoring.classifier.learning.refresh`, called before each classification).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.cli.learn import env_for_child
from bot.config import Settings
from bot.scheduler import JobHost
from scoring.classifier import learning
from surveys.core import clock

log = logging.getLogger(__name__)

LEARN_TIMEOUT_SECONDS = 1800


def load_learned(settings: Settings) -> learning.Learned | None:
    """Classify with the model learned into classifier.data_dir, else the shipped one."""
    directory = Path(settings.classifier.data_dir)
    try:
        learned = learning.activate(directory)
    except learning.LearningError:
        log.warning("classifier: %s holds no usable learned model; using the shipped one",
                    directory)
        learning.activate(None)
        return None
    if learned is not None:
        log.info("classifier: learned model %s (%d corrections, %d lexicon overrides)",
                 learned.version, learned.corrections, learned.overrides)
    return learned


async def learn_now(host: JobHost, *, base: Path | None = None) -> str | None:
    """Run `ownervoice classify learn` in its own process, then use what it wrote.

    base: labelled rows to learn on instead of the shipped ones (`classify learn --base`).
    """
    settings = host.settings
    extra = ["--base", str(base)] if base is not None else []
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "classify", "learn", "--lang", "en", *extra,
        env=env_for_child(settings.database.url, settings.classifier.data_dir),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), LEARN_TIMEOUT_SECONDS)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        log.warning("classify learn: still running after %d s; stopped",
                    LEARN_TIMEOUT_SECONDS)
        return None
    if proc.returncode != 0:
        log.warning("classify learn: %s", err.decode("utf-8", "replace").strip()[-500:])
        return None
    await asyncio.to_thread(load_learned, settings)
    return out.decode("utf-8", "replace").strip()


async def learn_nightly(host: JobHost) -> str | None:
    """Learn at classifier.learn_hour (company time) when switched on; runs hourly."""
    config = host.settings.classifier
    if not config.learn_nightly:
        return None
    zone = ZoneInfo(host.settings.schedule.timezone)
    if clock.now().replace(tzinfo=UTC).astimezone(zone).hour != config.learn_hour:
        return None
    return await learn_now(host)
