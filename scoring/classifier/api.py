"""The public classifier: `classify`, `classify_many` and the `Classification` result."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from scoring.classifier import lexicon, model, rules, segmentation

Polarity = Literal["positive", "negative", "neutral", "mixed"]
AspectValue = Literal["pos", "neg"] | None

# Tuned on scoring/data/train.jsonl only (see docs/benchmarks.md).
LEX_GAIN = 1.0
NB_GAIN = 0.2
NB_NEUTRAL = 6.0
NB_COMPLAINT = 6.0
MIXED_RATIO = 0.3
ASPECT_MIN = 0.25
# Longer comments are read as their opening and their end (where a story's verdict sits):
# the rules look at every pair of words in a clause, so an unbroken 50,000-character line
# would otherwise take seconds.
MAX_CHARS = 2000
HEAD_CHARS = 500


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


def _dedupe(words: list[str]) -> list[str]:
    """Drop repeats and words contained in a longer evidence word (等 inside 等了三天)."""
    unique = list(dict.fromkeys(words))
    return [w for w in unique if not any(w != o and w in o for o in unique)]


def classify(text: str) -> Classification:
    """Classify one owner comment."""
    normalized = segmentation.normalize(text or "")
    if len(normalized) > MAX_CHARS:
        normalized = normalized[:HEAD_CHARS] + "。" + normalized[HEAD_CHARS - MAX_CHARS :]
    if not normalized:
        return _empty(text)
    tokens = segmentation.tokens(normalized)
    if not tokens:
        return _empty(text)
    lex = lexicon.load()
    analysis = rules.analyze(tokens, lex)
    nb = model.log_odds(tokens)

    aspects: dict[str, AspectValue] = {}
    evidence: dict[str, list[str]] = {}
    scores = analysis.aspect_scores()
    for aspect in lexicon.ASPECTS:
        value = scores[aspect]
        verdict: AspectValue = None
        if value >= ASPECT_MIN:
            verdict = "pos"
        elif value <= -ASPECT_MIN:
            verdict = "neg"
        aspects[aspect] = verdict
        sign = 1 if verdict == "pos" else -1
        evidence[aspect] = (
            _dedupe([h.word for h in analysis.hits if h.aspect == aspect and h.weight * sign > 0])
            if verdict
            else []
        )
    evidence["polarity"] = _dedupe(
        [h.word for h in analysis.hits if h.aspect is None and h.polar and h.weight != 0]
    )

    pos, neg, pos_strong, neg_strong = analysis.masses()
    nb_clipped = max(-25.0, min(25.0, nb))
    raw = LEX_GAIN * (pos - neg) + NB_GAIN * nb_clipped
    score = round(math.tanh(raw / 2), 4)
    polarity: Polarity
    if pos == 0 and neg == 0:
        if (
            analysis.hope_clauses
            or analysis.questions
            or any(aspects.values())
            or abs(nb) < NB_NEUTRAL
        ):
            polarity = "neutral"
            score = round(score * 0.5, 4) if not analysis.hope_clauses else min(score, 0.0)
        else:
            polarity = "positive" if raw > 0 else "negative"
    elif (
        pos_strong
        and neg_strong
        and not analysis.conceded
        and min(pos, neg) / max(pos, neg) >= MIXED_RATIO
    ):
        polarity = "mixed"
    elif raw > 0:
        polarity = "positive"
    elif raw < 0:
        polarity = "negative"
    else:
        polarity = "neutral"
    grievance = neg > 0 or any(v == "neg" for v in aspects.values()) or nb <= -NB_COMPLAINT
    complaint = polarity == "mixed" or (polarity == "negative" and grievance)
    return Classification(
        text=text,
        polarity=polarity,
        score=score,
        complaint=complaint,
        aspects=aspects,
        evidence=evidence,
    )


def classify_many(texts: Iterable[str]) -> list[Classification]:
    """Classify many comments in order."""
    return [classify(t) for t in texts]


def warm_up() -> None:
    """Load jieba, the lexicons and the model now rather than on the first comment."""
    classify("师傅态度很好，处理很及时")
