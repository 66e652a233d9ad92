"""Chatter: a text that is only greetings, acknowledgements, punctuation or emoji.

"在吗", "你好！", "好的", "?", "👍👍" carry no request and no complaint: the bot answers them
with what it can do instead of filing them. The entries are plain data
(`lexicons/chatter.txt`); a text counts as chatter when, with punctuation, symbols and spaces
removed, it is empty or splits wholly into entries ("你好在吗" = 你好 + 在吗), and it holds
none of the emoji the file marks as displeasure (😡, 👎).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from scoring.classifier.segmentation import LEXICON_DIR, normalize

CHATTER_FILE = "chatter.txt"
# Longer texts say something; splitting them into fillers would only find accidents.
MAX_CHATTER_CHARS = 24


def _letters(text: str) -> str:
    """Keep letters and digits only (punctuation, symbols, emoji and spaces go)."""
    return "".join(ch for ch in normalize(text) if unicodedata.category(ch)[0] in "LN")


def has_words(text: str) -> bool:
    """Tell whether a text holds any letter or digit (not only emoji and punctuation)."""
    return bool(_letters(text))


@cache
def _entries(directory: Path = LEXICON_DIR) -> tuple[frozenset[str], frozenset[str]]:
    """Return the chatter entries and the symbols that make a text never chatter."""
    words: set[str] = set()
    displeased: set[str] = set()
    for line in (directory / CHATTER_FILE).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("!"):
            displeased.update(ch for ch in line[1:] if not ch.isspace())
        elif entry := _letters(line):
            words.add(entry)
    return frozenset(words), frozenset(displeased)


def is_chatter(text: str, directory: Path = LEXICON_DIR) -> bool:
    """Tell whether a text is only greetings, acknowledgements, punctuation or emoji."""
    entries, displeased = _entries(directory)
    if not displeased.isdisjoint(text):
        return False
    letters = _letters(text)
    if not letters:
        return True
    if len(letters) > MAX_CHATTER_CHARS:
        return False
    longest = max(map(len, entries), default=0)
    # Word break: covered[i] is True when letters[:i] splits wholly into entries.
    covered = [True] + [False] * len(letters)
    for end in range(1, len(letters) + 1):
        covered[end] = any(covered[start] and letters[start:end] in entries
                           for start in range(max(0, end - longest), end))
    return covered[-1]
