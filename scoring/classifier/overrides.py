"""Learned lexicon overrides: cue words added, retargeted or silenced on top of the lexicons.

`ownervoice classify learn` writes them from people's corrections (one file in the learned
data directory, never in the package); an admin may read and edit it like a lexicon file:

    # word<TAB>aspect<TAB>sign[<TAB>weight]
    慢吞吞	timeliness	-	1.0      a cue: the word rates the aspect (+ praise, - blame)
    上菜	timeliness	@            a target: the sentiment word after it rates the aspect
    态度	attitude	0            no longer a cue or target of that aspect
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ASPECTS: tuple[str, ...] = ("attitude", "clarity", "timeliness", "resolution")
Sign = Literal["+", "-", "@", "0"]
SIGNS: tuple[Sign, ...] = ("+", "-", "@", "0")


@dataclass(frozen=True)
class Override:
    """One learned lexicon entry."""

    word: str
    aspect: str
    sign: Sign
    weight: float = 1.0

    def line(self) -> str:
        """Return the entry as a line of the overrides file."""
        parts = [self.word, self.aspect, self.sign]
        if self.sign in ("+", "-"):
            parts.append(f"{self.weight:g}")
        return "\t".join(parts)


class BadOverrides(ValueError):
    """An overrides file line that is not `word aspect sign [weight]`."""


def parse(lines: Iterable[str]) -> list[Override]:
    """Read override lines (comments and blank lines skipped); raise BadOverrides."""
    found: list[Override] = []
    for number, raw in enumerate(lines, start=1):
        parts = raw.split("#", 1)[0].split()
        if not parts:
            continue
        if len(parts) not in (3, 4) or parts[1] not in ASPECTS or parts[2] not in SIGNS:
            raise BadOverrides(f"line {number}: {raw.strip()[:60]}")
        try:
            weight = float(parts[3]) if len(parts) == 4 else 1.0
        except ValueError:
            raise BadOverrides(f"line {number}: {raw.strip()[:60]}") from None
        found.append(Override(parts[0].lower(), parts[1], parts[2], weight))
    return found


def read(path: Path) -> list[Override]:
    """Read an overrides file."""
    return parse(path.read_text(encoding="utf-8").splitlines())


def write(path: Path, entries: Iterable[Override], header: str) -> None:
    """Write an overrides file with a comment header."""
    lines = [f"# {line}" for line in header.splitlines()]
    lines += [entry.line() for entry in entries]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
