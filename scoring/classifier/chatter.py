"""Chatter: a text that is only greetings, acknowledgements, punctuation or emoji.

"在吗", "你好！", "好的", "?", "👍👍" carry no request and no complaint: the bot answers them
with what it can do instead of filing them. The entries are plain data
(`lexicons/chatter.txt`); a text counts as chatter when, with punctuation, symbols and spaces
removed, it is empty or splits wholly into entries ("你好在吗" = 你好 + 在吗), and it holds
none of the emoji the file marks as displeasure (😡, 👎).

A text made only of emoji has a mood (`emoji_mood`) read from the same file's emoji lines:
displeased (😡, 👎, and 🙂, sarcastic in Chinese chat), pleased (👍, 😊, 🌹) or unclear.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import NamedTuple

from scoring.classifier.segmentation import LEXICON_DIR, normalize

CHATTER_FILE = "chatter.txt"
# Longer texts say something; splitting them into fillers would only find accidents.
MAX_CHATTER_CHARS = 24
# Marks that change how an emoji looks, not what it says: variation selectors, the zero-width
# joiner, skin tones.
_MODIFIERS = frozenset("\ufe0e\ufe0f\u200d") | frozenset(map(chr, range(0x1F3FB, 0x1F400)))


class EmojiMood(StrEnum):
    """What a message made only of emoji says."""

    PLEASED = "pleased"  # 👍, 😊, 🌹: thanks or content
    DISPLEASED = "displeased"  # 😡, 👎, or the sarcastic 🙂: unhappy, but not about what
    UNCLEAR = "unclear"  # 🤔, 🏠: nothing to read


class _Lexicon(NamedTuple):
    entries: frozenset[str]  # greetings and acknowledgements, as letters
    displeased: frozenset[str]  # "!" line
    doubtful: frozenset[str]  # "?" line: displeased when alone
    pleased: frozenset[str]  # "+" line


def _letters(text: str) -> str:
    """Keep letters and digits only (punctuation, symbols, emoji and spaces go)."""
    return "".join(ch for ch in normalize(text) if unicodedata.category(ch)[0] in "LN")


def has_words(text: str) -> bool:
    """Tell whether a text holds any letter or digit (not only emoji and punctuation)."""
    return bool(_letters(text))


def _symbols(text: str) -> frozenset[str]:
    """The emoji and other symbols of a text, without the marks that only restyle them."""
    return frozenset(ch for ch in text
                     if ch not in _MODIFIERS and unicodedata.category(ch) in ("So", "Sk", "Cn"))


@cache
def _lexicon(directory: Path = LEXICON_DIR) -> _Lexicon:
    """Read the chatter entries and the emoji lines ("!", "?", "+") of the lexicon file."""
    words: set[str] = set()
    emoji: dict[str, set[str]] = {"!": set(), "?": set(), "+": set()}
    for line in (directory / CHATTER_FILE).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line[:1] in emoji:
            emoji[line[0]].update(ch for ch in line[1:]
                                  if not ch.isspace() and ch not in _MODIFIERS)
        elif entry := _letters(line):
            words.add(entry)
    return _Lexicon(frozenset(words), frozenset(emoji["!"]), frozenset(emoji["?"]),
                    frozenset(emoji["+"]))


def emoji_mood(text: str, directory: Path = LEXICON_DIR) -> EmojiMood | None:
    """Read the mood of a text made only of emoji; None when it holds words or no emoji."""
    symbols = _symbols(text)
    if has_words(text) or not symbols:
        return None
    lexicon = _lexicon(directory)
    if not symbols.isdisjoint(lexicon.displeased):
        return EmojiMood.DISPLEASED
    # 🙂 beside 👍 is friendly; alone it is more often sarcasm than a smile.
    if not symbols.isdisjoint(lexicon.pleased):
        return EmojiMood.PLEASED
    if not symbols.isdisjoint(lexicon.doubtful):
        return EmojiMood.DISPLEASED
    return EmojiMood.UNCLEAR


def is_chatter(text: str, directory: Path = LEXICON_DIR) -> bool:
    """Tell whether a text is only greetings, acknowledgements, punctuation or emoji."""
    entries, displeased = _lexicon(directory)[:2]
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
