"""`ownervoice demo` tells the same story on both runtimes (modulo ids, ports and times)."""

from __future__ import annotations

import io
import re

import pytest

from bot.demo.runner import run_demo
from bot.demo.transcript import Transcript

# The whole demo twice (~35 s): in the slow suite, which CI always runs; tests/bot/demo plays
# the demo on the default runtime in the quick suite.
pytestmark = pytest.mark.slow

_VOLATILE = (
    (re.compile(r"http://127\.0\.0\.1:\d+"), "http://HOST"),
    (re.compile(r"database \S+"), "database PATH"),
    (re.compile(r"\S*ownervoice-demo-[A-Za-z0-9_]+/"), "TMPDIR/"),  # the demo's temp dir
    (re.compile(r"runtime (aiogram|ptb)"), "runtime RUNTIME"),
    (re.compile(r"/start [A-Za-z0-9_-]{16,}"), "/start TOKEN"),  # one-time invite tokens
    (re.compile(r"/s/[A-Za-z0-9_-]{4}…"), "/s/TOKEN…"),  # survey web links (masked)
    (re.compile(r"\d+\.\d+ s\b"), "N s"),
    (re.compile(r"(\d{4}-)?\d{2}-\d{2} \d{2}:\d{2}"), "DATETIME"),  # now, now + 24 h
    (re.compile(r"\(\d+ bytes\)"), "(N bytes)"),  # an XLSX stamps its creation time
)


def normalised(text: str) -> list[list[str]]:
    """Return each section's lines, ports, paths, tokens and durations blanked, sorted.

    Sorted within a section: a chat reply and an outbox message to another person (e.g. the
    owner told that the agent took their complaint) race on either runtime.
    """
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    sections: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.startswith("━━"):
            sections.append([])
        sections[-1].append(line)
    return [sorted(section) for section in sections]


async def _transcript(runtime: str) -> str:
    out = io.StringIO()
    assert await run_demo(runtime=runtime, transcript=Transcript(out=out, locale="en")) == 0
    return out.getvalue()


async def test_demo_transcripts_match_on_aiogram_and_ptb() -> None:
    # The demo waits for the outbox to drain after every action, so what another person's
    # chat shows when the player next looks no longer depends on the machine's load.
    aiogram, ptb = await _transcript("aiogram"), await _transcript("ptb")
    assert "runtime ptb" in ptb and "runtime aiogram" in aiogram
    assert len(normalised(aiogram)) > 5  # every section of the story, not an early stop
    assert normalised(ptb) == normalised(aiogram)
