"""Text normalisation (Traditional to Simplified, width, case) and jieba segmentation."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import re
import sys
import threading
import types
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from scoring.classifier import flatcache, wordcut

LEXICON_DIR = Path(__file__).with_name("lexicons")
MIN_FREQ = 30

_lock = threading.Lock()
_tokenizer: Any = None


@lru_cache(maxsize=1)
def _t2s() -> tuple[frozenset[str], Any]:
    import opencc  # why: heavy; loaded on the first Traditional-Chinese comment only

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


@lru_cache(maxsize=1)
def _typos() -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """Read lexicons/typos.txt ("wrong right" a line) into one alternation and its table."""
    table: dict[str, str] = {}
    with (LEXICON_DIR / "typos.txt").open(encoding="utf-8") as fh:
        for raw in fh:
            parts = raw.split("#", 1)[0].split()
            if len(parts) == 2:
                table[parts[0]] = parts[1]
    if not table:
        return None, table
    words = sorted(table, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))), table


def normalize(text: str) -> str:
    """Return the text in Simplified Chinese, half-width, lower case and single-spaced.

    Common typos and homophones (师付, 修号) are corrected.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = " ".join(text.split())
    trad, converter = _t2s()
    if not trad.isdisjoint(text):
        text = converter.convert(text)
    pattern, table = _typos()
    if pattern is not None:
        text = pattern.sub(lambda m: table[m.group(0)], text)
    return text


def _jieba_dir() -> Path:
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("jieba")
    return Path(spec.origin).parent


def _stamp(jieba_dir: Path) -> str:
    """Name the small dictionary: jieba's dictionary, the user dictionary and MIN_FREQ."""
    source = jieba_dir / "dict.txt"
    user = LEXICON_DIR / "userdict.txt"
    return f"{source.stat().st_size}-{user.stat().st_mtime_ns}-{MIN_FREQ}"


def _small_dictionary(jieba_dir: Path) -> Path | None:
    """Write (once) jieba's dictionary without its rare words, plus the user dictionary.

    jieba's full dictionary takes ~0.6 s to load from its cache; the words seen at least
    MIN_FREQ times (about a fifth) load in under 0.1 s and segment owner comments the same.
    """
    source = jieba_dir / "dict.txt"
    user = LEXICON_DIR / "userdict.txt"
    target = flatcache.temp_path(f"ownervoice-jieba-{_stamp(jieba_dir)}.txt")
    try:
        # Someone else's file there (a planted dictionary) is not used: the full one is.
        return target if flatcache.trusted(target.stat()) else None
    except FileNotFoundError:
        pass
    try:
        lines = []
        with source.open(encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 2 and int(parts[1]) >= MIN_FREQ:
                    lines.append(line if line.endswith("\n") else line + "\n")
        with user.open(encoding="utf-8") as fh:
            lines.extend(line for line in fh if line.strip() and not line.startswith("#"))
        flatcache.write_atomic(target, "".join(lines).encode("utf-8"))
    except OSError:
        return None
    return target


def _import_jieba() -> Any:
    """Import jieba without pkg_resources, which it imports only to open its own files.

    pkg_resources takes ~0.1 s to import (a third of a cold start); without it jieba falls
    back to opening the same files by path.
    """
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba  # why: jieba loads lazily, on the first comment (see the docstring)

        return jieba
    _defer_hmm_module()
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes the import fail
    try:
        import jieba  # why: imported while pkg_resources is hidden (see the docstring)
    finally:
        del sys.modules["pkg_resources"]
    return jieba


def _defer_hmm_module() -> None:
    """Stand in for jieba.finalseg until something uses it.

    It holds the HMM tables for unknown words (about a fifth of jieba's import time);
    segmentation here runs without the HMM, so a `classify` run never needs it. The stand-in
    imports the real module on its first attribute use and hands every use on to it.
    """
    if "jieba.finalseg" in sys.modules:
        return
    stand_in = types.ModuleType("jieba.finalseg")

    def real_attribute(name: str) -> Any:
        if sys.modules.get("jieba.finalseg") is stand_in:
            del sys.modules["jieba.finalseg"]
        return getattr(importlib.import_module("jieba.finalseg"), name)

    stand_in.__getattr__ = real_attribute  # type: ignore[method-assign]
    sys.modules["jieba.finalseg"] = stand_in


def _load_tokenizer() -> Any:
    jieba = _import_jieba()

    jieba.setLogLevel(logging.WARNING)
    small = _small_dictionary(Path(jieba.__file__).parent)
    tk = jieba.Tokenizer(str(small)) if small else jieba.Tokenizer()
    tk.initialize()
    if small is None:
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


def _frequencies() -> tuple[dict[str, int], int, bool]:
    """Return the tokenizer's prefix dictionary, and whether it is the small one."""
    tk = tokenizer()
    return tk.FREQ, tk.total, Path(tk.dictionary or "").name.startswith("ownervoice-jieba-")


@lru_cache(maxsize=1)
def _cutter() -> wordcut.Cutter:
    return wordcut.load(_stamp(_jieba_dir()), _frequencies)


def tokens(normalized: str) -> list[str]:
    """Segment normalised text into jieba tokens (no HMM), dropping whitespace."""
    return _cutter().cut(normalized)
