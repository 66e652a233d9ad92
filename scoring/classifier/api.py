"""The public classifier: `classify`, `classify_many` and the `Classification` result.

Two stages: the rules (lexicons, negation, contrast, the Naive Bayes model; rulebased.py) give
a verdict with evidence; the learned heads (heads.py), trained on the project's labelled
comments with the rules' verdict among their features, decide polarity and each aspect.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from scoring.classifier import combine, heads, lexicon, rulebased, segmentation
from scoring.classifier.combine import AspectValue, Polarity
from scoring.classifier.features import features, rule_features

# Longer comments are read as their opening and their end (where a story's verdict sits):
# the rules look at every pair of words in a clause, so an unbroken 50,000-character line
# would otherwise take seconds.
MAX_CHARS = 2000
HEAD_CHARS = 500
EVIDENCE_WORDS = 2
# Pronouns, particles and the commonest function words: they may push a head, but a reader
# shown "依据：服务态度：就、我" learns nothing; the next words that pushed are named instead.
FUNCTION_WORDS = frozenset((
    "我", "你", "您", "他", "她", "它", "我们", "你们", "他们", "咱们", "的", "地", "得", "了",
    "着", "过", "是", "就", "也", "都", "还", "又", "在", "和", "跟", "与", "把", "被", "给", "让",
    "对", "去", "吧", "吗", "呢", "啊", "呀", "哦", "嘛", "啦", "这", "那", "这个", "那个", "个",
    "一个", "就是", "然后",
))


@dataclass(frozen=True)
class Classification:
    """The classifier's verdict on one comment (DESIGN.md §5, JSON shape of §7)."""

    text: str
    polarity: Polarity
    score: float
    complaint: bool
    aspects: dict[str, AspectValue] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the §7 JSON object."""
        return {
            "text": self.text,
            "polarity": self.polarity,
            "score": self.score,
            "complaint": self.complaint,
            "aspects": dict(self.aspects),
            "evidence": {k: list(v) for k, v in self.evidence.items()},
        }


def _empty(text: str) -> Classification:
    return Classification(
        text=text,
        polarity="neutral",
        score=0.0,
        complaint=False,
        aspects=dict.fromkeys(lexicon.ASPECTS),
        evidence={a: [] for a in (*lexicon.ASPECTS, "polarity")},
    )


def prepare(text: str) -> tuple[str, list[str]]:
    """Return the normalised comment (long ones cut to their opening and end) and its tokens."""
    normalized = segmentation.normalize(text or "")
    if len(normalized) > MAX_CHARS:
        normalized = normalized[:HEAD_CHARS] + "。" + normalized[HEAD_CHARS - MAX_CHARS :]
    return normalized, segmentation.tokens(normalized) if normalized else []


def comment_features(
    normalized: str, tokens: list[str], verdict: rulebased.Verdict
) -> dict[str, float]:
    """Return the learned heads' features of a prepared comment and the rules' verdict."""
    rules = rule_features(
        verdict.aspects, verdict.polarity, verdict.flags, verdict.lexical, verdict.nb
    )
    return features(normalized, tokens, lexicon.load(), rules)


def _evidence(feats: dict[str, float], m: heads.Model, head: str, label: str) -> list[str]:
    """Name the words that pushed a head to its label most (for a verdict the rules lacked)."""
    # Words first, character grams only when no word pushed: ranking just those features
    # gives the same list at a fraction of the cost (a comment has ~300 features, mostly grams).
    # Only features the model knows can push; finding them is one set operation in C, and the
    # ranking (by weight, then name) does not depend on the order they come in.
    known = feats.keys() & m.packed.table.keys()
    words = _pushing({n: feats[n] for n in known
                      if (n[:2] in ("w:", "l:", "a:") and n[2:] not in FUNCTION_WORDS)
                      or n[0] == "!"}, m, head, label)
    if not words:
        words = _pushing({n: feats[n] for n in known if n.startswith("c:")}, m, head, label)
    return rulebased.dedupe(words[:EVIDENCE_WORDS]) or [head]


def _pushing(feats: dict[str, float], m: heads.Model, head: str, label: str) -> list[str]:
    ranked = sorted(heads.contributions(feats, m, head, label), reverse=True)
    # A negated word reads with its negation (!满意 → 不满意 is not known; 满意 is the word).
    return [name[1:] if name[0] == "!" else name[2:] for weight, name in ranked if weight > 0]


def _score(dist: dict[str, float], verdict: rulebased.Verdict) -> float:
    """Return the sentiment score in [-1, 1]: the rules' raw mass plus the head's valence.

    The valence, log P(positive) / P(negative or mixed), leaves "neutral" out, so a long
    review the head finds unlike owners' comments still gets the sign its words carry.
    """
    valence = math.log((dist["positive"] + 1e-3) / (dist["negative"] + dist["mixed"] + 1e-3))
    return round(math.tanh((verdict.raw + valence) / 2), 4)


def classify_rules(text: str) -> Classification:
    """Classify with the rules alone (the stage before the learned heads; for comparison)."""
    _, tokens = prepare(text)
    if not tokens:
        return _empty(text)
    v = rulebased.decide(tokens, lexicon.load())
    return Classification(
        text=text,
        polarity=cast(Polarity, v.polarity),
        score=v.score,
        complaint=v.complaint,
        aspects=cast(dict[str, AspectValue], v.aspects),
        evidence=v.evidence,
    )


def classify(text: str) -> Classification:
    """Classify one owner comment."""
    normalized, tokens = prepare(text)
    if not tokens:
        return _empty(text)
    verdict = rulebased.decide(tokens, lexicon.load())
    feats = comment_features(normalized, tokens, verdict)
    m = heads.model()
    probs = heads.probabilities(heads.scores(feats, m), m)
    pol = probs["polarity"]
    polarity = combine.polarity(pol, bool(verdict.flags.get("conceded")))
    aspects: dict[str, AspectValue] = {}
    evidence: dict[str, list[str]] = {"polarity": verdict.evidence["polarity"]}
    for aspect in lexicon.ASPECTS:
        value = combine.aspect(
            aspect,
            probs[aspect],
            verdict.aspects[aspect],
            unrated=aspect in verdict.unrated,
            firm=aspect in verdict.firm,
        )
        aspects[aspect] = value
        if value is None:
            evidence[aspect] = []
        elif verdict.aspects[aspect] == value and verdict.evidence[aspect]:
            evidence[aspect] = verdict.evidence[aspect]
        else:
            evidence[aspect] = _evidence(feats, m, aspect, value)
    score = _score(pol, verdict)
    return Classification(
        text=text,
        polarity=polarity,
        score=score,
        complaint=polarity in ("negative", "mixed"),
        aspects=aspects,
        evidence=evidence,
    )


def classify_many(texts: Iterable[str]) -> list[Classification]:
    """Classify many comments in order."""
    return [classify(t) for t in texts]


def warm_up() -> None:
    """Load jieba, the lexicons and the models now rather than on the first comment."""
    classify("师傅态度很好，处理很及时")
