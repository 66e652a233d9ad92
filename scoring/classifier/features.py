"""Features of one comment for the learned heads: words, characters, clause position, rules.

The same function serves training (train.py) and classification (api.py), so a model always
sees features built the way it was trained.
"""

from __future__ import annotations

from scoring.classifier.cues import PUNCT
from scoring.classifier.lexicon import ASPECTS, Lexicon

NEGATORS = frozenset({"不", "没", "没有", "别", "无", "未", "不是", "并非", "不太", "不会", "不够"})
LENGTHS = (1, 3, 6, 12, 24, 48, 96)


def _bucket(n: int) -> str:
    return f"len:{next((b for b in LENGTHS if n <= b), 'long')}"


def char_grams(text: str) -> list[str]:
    """Return character 2- and 3-grams of the comment with its start and end marked.

    (1-grams cost a fifth of the classification time and added nothing the words do not.)
    """
    padded = "^" + text + "$"
    n = len(padded)
    grams = ["c:" + padded[i : i + 2] for i in range(n - 1)]
    grams += ["c:" + padded[i : i + 3] for i in range(n - 2)]
    return grams


def word_features(tokens: list[str], lex: Lexicon) -> set[str]:
    """Return word, negated-word and bigram features, plus the words of the verdict clauses.

    Those are the final clause and the clauses after a contrast word (整体还可以，就是… : the
    verdict sits there).
    """
    feats: set[str] = set()
    words: list[str] = []
    clause: list[str] = []
    after_but = False
    for tok in tokens:
        if PUNCT.issuperset(tok):
            clause = []
            continue
        if tok in lex.but or tok in lex.concede:
            after_but = tok in lex.but
            feats.add(f"k:{tok}")
        prev = words[-1] if words else ""
        feats.add(("!" if prev in NEGATORS else "w:") + tok)
        if prev:
            feats.add(f"b:{prev}_{tok}")
        if after_but:
            feats.add("a:" + tok)
        words.append(tok)
        clause.append(tok)
    feats.update("l:" + tok for tok in clause)
    return feats


def rule_features(
    aspects: dict[str, str | None],
    polarity: str,
    flags: dict[str, bool],
    lexical: float,
    nb: float,
) -> dict[str, float]:
    """Return the rules' verdicts as features (the learned heads weigh how far to trust them)."""
    feats = {f"r:{a}={v}": 1.0 for a, v in aspects.items() if v}
    feats[f"r:pol={polarity}"] = 1.0
    feats.update({f"r:{k}": 1.0 for k, on in flags.items() if on})
    values = set(aspects.values())
    if "pos" in values and "neg" in values:
        feats["r:both"] = 1.0
    feats["v:lex"] = max(-3.0, min(3.0, lexical)) / 3
    feats["v:nb"] = max(-20.0, min(20.0, nb)) / 10
    return feats


def features(
    text: str, tokens: list[str], lex: Lexicon, rules: dict[str, float]
) -> dict[str, float]:
    """Return every feature of one normalised comment with its value (1.0 unless real)."""
    feats = dict.fromkeys(word_features(tokens, lex), 1.0)
    feats.update(dict.fromkeys(char_grams(text), 1.0))
    feats[_bucket(len(text))] = 1.0
    feats["bias"] = 1.0
    feats.update(rules)
    return feats


__all__ = ["ASPECTS", "char_grams", "features", "rule_features", "word_features"]
