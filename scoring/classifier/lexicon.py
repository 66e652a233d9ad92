"""Load the plain-text lexicons under `lexicons/` (see lexicons/README.txt)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from scoring.classifier.segmentation import LEXICON_DIR

ASPECTS: tuple[str, ...] = ("attitude", "clarity", "timeliness", "resolution")


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


@lru_cache(maxsize=4)
def load(directory: Path = LEXICON_DIR) -> Lexicon:
    """Read the lexicon files in `directory` (cached; restart to pick up edits)."""
    cues: dict[str, Cue] = {}
    targets: dict[str, str] = {}
    for aspect in ASPECTS:
        _read_cues(directory / f"{aspect}.txt", aspect, cues, targets)
    _read_cues(directory / "sentiment.txt", None, cues, targets)
    contrast = _lines(directory / "contrast.txt")
    persistence = _lines(directory / "persistence.txt")
    anchors = _lines(directory / "anchors.txt")
    people = {p[0] for p in anchors if p[1:] == ["person"]}
    return Lexicon(
        cues=cues,
        targets=targets,
        negations=frozenset(p[0] for p in _lines(directory / "negations.txt")),
        degree={p[0]: float(p[1]) for p in _lines(directory / "degree.txt")},
        but=frozenset(p[0] for p in contrast if p[1] == "but"),
        concede=frozenset(p[0] for p in contrast if p[1] == "concede"),
        hope=frozenset(p[0] for p in _lines(directory / "hope.txt")),
        sarcasm=tuple(p[0] for p in _lines(directory / "sarcasm.txt")),
        persist=frozenset(p[0] for p in persistence if p[1] == "marker"),
        anchors=frozenset(p[0] for p in anchors),
        people=frozenset(people),
        problems=frozenset(p[0] for p in persistence if p[1] == "problem"),
        max_span=4,
        prefixes=frozenset(word[:n] for word in cues for n in range(1, len(word) + 1)),
    )
