"""Naive Bayes polarity model on jieba tokens, trained by `train.py`, loaded lazily once."""

from __future__ import annotations

import gzip
import itertools
import json
import math
import threading
from pathlib import Path

from scoring.classifier import flatcache

MODEL_PATH = Path(__file__).with_name("polarity_model.json.gz")
NEGATORS = frozenset({"不", "没", "没有", "别", "无", "未", "不是", "并非", "不太", "不会", "不够"})

_lock = threading.Lock()
_weights: dict[str, float] | None = None
_bias = 0.0


def _is_word(tok: str) -> bool:
    return any(ch.isalnum() for ch in tok)


def features(tokens: list[str]) -> set[str]:
    """Return the binary features of a token list: words, negated words and word bigrams."""
    # isalnum() in C settles almost every token (words are all letters or digits).
    words = [t for t in tokens if t.isalnum() or _is_word(t)]
    # Without a negator every word is itself (set() adds them in the same order as add()).
    feats: set[str] = set(words) if NEGATORS.isdisjoint(words) else set()
    i = len(words) if feats else 0
    while i < len(words):
        w = words[i]
        if w in NEGATORS and i + 1 < len(words):
            # Mark the negated word so 不满意 does not look like 满意.
            feats.add("!" + words[i + 1])
            feats.add(w)
            i += 2
            continue
        feats.add(w)
        i += 1
    feats.update(map("_".join, itertools.pairwise(words)))
    return feats


def _read(path: Path) -> tuple[dict[str, float], float, bool]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    return data["weights"], float(data["bias"]), True


def _load(path: Path) -> None:
    """Load the model; its weights are kept as a flat table (flatcache: ~5 ms, not ~25)."""
    global _weights, _bias
    stat = path.stat()
    name = f"ownervoice-nb-{stat.st_size}-{stat.st_mtime_ns}-{stat.st_ino}.bin"
    _weights, _bias = flatcache.cached(name, lambda: _read(path))


def log_odds(tokens: list[str], path: Path = MODEL_PATH) -> float:
    """Return log P(pos|tokens) - log P(neg|tokens) under the shipped model."""
    if _weights is None:
        with _lock:
            if _weights is None:
                _load(path)
    assert _weights is not None
    weights = _weights
    return _bias + sum(map(weights.get, features(tokens), itertools.repeat(0.0)))


def probability(log_odds_value: float) -> float:
    """Turn log-odds into a probability of positive."""
    x = max(-30.0, min(30.0, log_odds_value))
    return 1.0 / (1.0 + math.exp(-x))
