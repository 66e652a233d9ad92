"""Lexicon overrides learned from corrections: silence the cue words behind the rules' false tags.

The learned heads can add a tag the rules missed or turn its sign, but never remove one the
rules gave (combine.aspect); so a word the rules keep misreading for a deployment (a tag people
keep taking off) is silenced for that aspect here. A word is silenced only when at least
`min_support` corrected comments show it wrong and it is wrong more than `ratio` times as
often as it is right over the corrections and the shipped training rows together (so one
correction, or a word the training rows confirm, changes nothing).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from scoring.classifier import api, lexicon, rulebased
from scoring.classifier.overrides import Override

MIN_SUPPORT = 2
RATIO = 2.0


@dataclass(frozen=True)
class Labelled:
    """A comment with the aspects people settled on; `corrected` marks a correction."""

    text: str
    aspects: Mapping[str, str | None]
    corrected: bool


def _entries(span: str, aspect: str, lex: lexicon.Lexicon) -> set[str]:
    """Return the lexicon words of `aspect` (cues and targets) inside an evidence span."""
    words = {w for w, cue in lex.cues.items() if cue.aspect == aspect and w in span}
    words |= {w for w, a in lex.targets.items() if a == aspect and w in span}
    return words


def _tally(rows: Iterable[Labelled], lex: lexicon.Lexicon
           ) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]], Counter[tuple[str, str]]]:
    right: Counter[tuple[str, str]] = Counter()
    wrong: Counter[tuple[str, str]] = Counter()
    wrong_corrected: Counter[tuple[str, str]] = Counter()
    for row in rows:
        _, tokens = api.prepare(row.text)
        if not tokens:
            continue
        verdict = rulebased.decide(tokens, lex)
        for aspect, tag in verdict.aspects.items():
            if tag is None:
                continue
            keys = {(w, aspect) for span in verdict.evidence[aspect]
                    for w in _entries(span, aspect, lex)}
            if row.aspects.get(aspect) == tag:
                right.update(keys)
            else:
                wrong.update(keys)
                if row.corrected:
                    wrong_corrected.update(keys)
    return right, wrong, wrong_corrected


def silenced(rows: Sequence[Labelled], *, min_support: int = MIN_SUPPORT,
             ratio: float = RATIO) -> list[Override]:
    """Return the overrides that silence cue words the corrections show wrong (sorted)."""
    lex = lexicon.load()
    right, wrong, wrong_corrected = _tally(rows, lex)
    found = [
        Override(word, aspect, "0")
        for (word, aspect), n in wrong_corrected.items()
        if n >= min_support and wrong[(word, aspect)] > ratio * right[(word, aspect)]
    ]
    return sorted(found, key=lambda o: (o.aspect, o.word))
