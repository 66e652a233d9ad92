"""Text normalisation (Traditional to Simplified, width, case) and jieba segmentation."""

from __future__ import annotations

import logging
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

LEXICON_DIR = Path(__file__).with_name("lexicons")

_lock = threading.Lock()
_tokenizer: Any = None


@lru_cache(maxsize=1)
def _t2s() -> tuple[frozenset[str], Any]:
    import opencc

    converter = opencc.OpenCC("t2s")
    # Only characters that change under t2s need the (slow, pure-Python) converter.
    table = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
    trad: set[str] = set()
    with table.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2 and parts[0] != parts[1]:
                trad.add(parts[0])
    return frozenset(trad), converter


def normalize(text: str) -> str:
    """Return the text in Simplified Chinese, half-width, lower case, single-spaced."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = " ".join(text.split())
    trad, converter = _t2s()
    if not trad.isdisjoint(text):
        text = converter.convert(text)
    return text


def _load_tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    tk.load_userdict(str(LEXICON_DIR / "userdict.txt"))
    return tk


def tokenizer() -> Any:
    """Return the shared jieba tokenizer with the property-domain user dictionary."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                _tokenizer = _load_tokenizer()
    return _tokenizer


def tokens(normalized: str) -> list[str]:
    """Segment normalised text into jieba tokens, dropping whitespace."""
    return [t for t in tokenizer().lcut(normalized) if t.strip()]
