"""Load the plain-text lexicons under `lexicons/` (see lexicons/README.txt)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from scoring.classifier import overrides as learned
from scoring.classifier.segmentation import LEXICON_DIR

ASPECTS: tuple[str, ...] = ("attitude", "clarity", "timeliness", "resolution")
# The learned overrides file layered on the lexicons (`ownervoice classify learn`), if any.
_OVERRIDES: list[Path | None] = [None]


@dataclass(frozen=True)
class Cue:
    """One lexicon entry: which aspect (None for plain sentiment) and its signed weight."""

    aspect: str | None
    weight: float


@dataclass(frozen=True)
class Lexicon:
    """Every word list the rules use, read once from disk."""

    cues: dict[str, Cue]
    targets: dict[str, str]
    negations: frozenset[str]
    degree: dict[str, float]
    but: frozenset[str]
    concede: frozenset[str]
    hope: frozenset[str]
    sarcasm: tuple[str, ...]
    persist: frozenset[str]
    anchors: frozenset[str]
    people: frozenset[str]
    problems: frozenset[str]
    max_span: int
    prefixes: frozenset[str]
    # Strict prefixes only: a token a cue of several tokens can start with.
    starts: frozenset[str]
    # One alternation of the sarcasm markers: is any of them in a clause's text?
    sarcasm_re: re.Pattern[str]
    # Per-lexicon memo of split_tokens(); filled lazily, never part of equality.
    split_cache: dict[str, list[str]] = field(default_factory=dict, compare=False, repr=False)


def _lines(path: Path) -> list[list[str]]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for raw in fh:
            line = raw.split("#", 1)[0].strip()
            if line:
                rows.append(line.split())
    return rows


def _read_cues(
    path: Path, aspect: str | None, cues: dict[str, Cue], targets: dict[str, str]
) -> None:
    for parts in _lines(path):
        word = parts[0].lower()
        sign = parts[1] if len(parts) > 1 else "+"
        if sign == "@":
            if aspect is not None:
                targets[word] = aspect
            continue
        weight = float(parts[2]) if len(parts) > 2 else 1.0
        # An aspect entry wins over a plain sentiment entry of the same word.
        if aspect is None and word in cues:
            continue
        cues[word] = Cue(aspect, weight if sign == "+" else -weight)


def use_overrides(path: Path | None) -> None:
    """Layer a learned overrides file (overrides.py) on the lexicons from now on; None: none."""
    _OVERRIDES[0] = path


def overrides_in_use() -> Path | None:
    """Return the learned overrides file in use, if any."""
    return _OVERRIDES[0]


def _apply(entries: list[learned.Override], cues: dict[str, Cue], targets: dict[str, str]
           ) -> None:
    for entry in entries:
        word, aspect = entry.word, entry.aspect
        if entry.sign == "0":
            if word in cues and cues[word].aspect == aspect:
                del cues[word]
            if targets.get(word) == aspect:
                del targets[word]
        elif entry.sign == "@":
            targets[word] = aspect
        else:
            cues[word] = Cue(aspect, entry.weight if entry.sign == "+" else -entry.weight)


def load(directory: Path = LEXICON_DIR) -> Lexicon:
    """Read the lexicon files in `directory`, with the learned overrides in use (cached)."""
    return _load(directory, _OVERRIDES[0])


def reload() -> None:
    """Forget the lexicons read so far (after a file was edited in place)."""
    _load.cache_clear()


@lru_cache(maxsize=4)
def _load(directory: Path, overrides: Path | None) -> Lexicon:
    cues: dict[str, Cue] = {}
    targets: dict[str, str] = {}
    for aspect in ASPECTS:
        _read_cues(directory / f"{aspect}.txt", aspect, cues, targets)
    _read_cues(directory / "sentiment.txt", None, cues, targets)
    if overrides is not None:
        _apply(learned.read(overrides), cues, targets)
    contrast = _lines(directory / "contrast.txt")
    persistence = _lines(directory / "persistence.txt")
    anchors = _lines(directory / "anchors.txt")
    people = {p[0] for p in anchors if p[1:] == ["person"]}
    sarcasm = tuple(p[0] for p in _lines(directory / "sarcasm.txt"))
    return Lexicon(
        cues=cues,
        targets=targets,
        negations=frozenset(p[0] for p in _lines(directory / "negations.txt")),
        degree={p[0]: float(p[1]) for p in _lines(directory / "degree.txt")},
        but=frozenset(p[0] for p in contrast if p[1] == "but"),
        concede=frozenset(p[0] for p in contrast if p[1] == "concede"),
        hope=frozenset(p[0] for p in _lines(directory / "hope.txt")),
        sarcasm=sarcasm,
        persist=frozenset(p[0] for p in persistence if p[1] == "marker"),
        anchors=frozenset(p[0] for p in anchors),
        people=frozenset(people),
        problems=frozenset(p[0] for p in persistence if p[1] == "problem"),
        max_span=4,
        prefixes=frozenset(word[:n] for word in cues for n in range(1, len(word) + 1)),
        starts=frozenset(word[:n] for word in cues for n in range(1, len(word))),
        sarcasm_re=re.compile("|".join(map(re.escape, sarcasm)) if sarcasm else "(?!)"),
    )
