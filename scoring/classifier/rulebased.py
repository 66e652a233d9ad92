"""The rules' own verdict on a segmented comment (lexicons, rules and the Naive Bayes model).

It is both a fallback and the strongest group of features of the learned heads (api.py).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from scoring.classifier import lexicon, model, rules

# Tuned on scoring/data/train.jsonl only (see docs/benchmarks.md).
LEX_GAIN = 1.0
NB_GAIN = 0.2
NB_NEUTRAL = 6.0
NB_COMPLAINT = 6.0
MIXED_RATIO = 0.3
ASPECT_MIN = 0.25
# "X是X" concedes before a grievance (修是修好了，可是…; 快是快，就是…).
CONCEDE_RE = re.compile(r"(?!是)([\u4e00-\u9fff]{1,2})是\1")


@dataclass(frozen=True)
class Verdict:
    """What the rules say about one comment, with the evidence words and the raw masses."""

    polarity: str
    score: float
    complaint: bool
    aspects: dict[str, str | None]
    evidence: dict[str, list[str]]
    flags: dict[str, bool] = field(default_factory=dict)
    lexical: float = 0.0
    nb: float = 0.0
    raw: float = 0.0
    # Aspects the comment names but rates neither way (服务一般, 让我等了一会儿): the learned
    # heads do not add a tag there.
    unrated: frozenset[str] = frozenset()
    # Aspects whose tag rests on a plain (not mild) cue of its sign (延误, 态度很差): the heads
    # may turn such a tag (sarcasm) but not drop it; a mild one (有点慢) they may.
    firm: frozenset[str] = frozenset()


def dedupe(words: list[str]) -> list[str]:
    """Drop repeats and words contained in a longer evidence word (等 inside 等了三天)."""
    unique = list(dict.fromkeys(words))
    return [w for w in unique if not any(w != o and w in o for o in unique)]


def _aspects(analysis: rules.Analysis) -> tuple[dict[str, str | None], dict[str, list[str]]]:
    aspects: dict[str, str | None] = {}
    evidence: dict[str, list[str]] = {}
    scores = analysis.aspect_scores()
    for aspect in lexicon.ASPECTS:
        value = scores[aspect]
        verdict = "pos" if value >= ASPECT_MIN else "neg" if value <= -ASPECT_MIN else None
        aspects[aspect] = verdict
        sign = 1 if verdict == "pos" else -1
        evidence[aspect] = (
            dedupe([h.word for h in analysis.hits if h.aspect == aspect and h.weight * sign > 0])
            if verdict
            else []
        )
    evidence["polarity"] = dedupe(
        [h.word for h in analysis.hits if h.aspect is None and h.polar and h.weight != 0]
    )
    return aspects, evidence


def _firm(analysis: rules.Analysis, aspects: dict[str, str | None]) -> frozenset[str]:
    """Return the tagged aspects that a plain cue of the tag's sign supports."""
    signs = {a: 1 if v == "pos" else -1 for a, v in aspects.items() if v}
    return frozenset(
        h.aspect
        for h in analysis.hits
        if h.aspect in signs and not h.mild and h.weight * signs[h.aspect] > 0
    )


def decide(tokens: list[str], lex: lexicon.Lexicon) -> Verdict:
    """Return the rules' verdict on a segmented, normalised comment."""
    analysis = rules.analyze(tokens, lex)
    nb = model.log_odds(tokens)
    aspects, evidence = _aspects(analysis)
    pos, neg, pos_strong, neg_strong = analysis.masses()
    raw = LEX_GAIN * (pos - neg) + NB_GAIN * max(-25.0, min(25.0, nb))
    score = round(math.tanh(raw / 2), 4)
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
    else:
        polarity = "positive" if raw > 0 else "negative" if raw < 0 else "neutral"
    grievance = neg > 0 or any(v == "neg" for v in aspects.values()) or nb <= -NB_COMPLAINT
    flags = {
        "hope": analysis.hope_clauses > 0,
        "question": analysis.questions > 0,
        "conceded": analysis.conceded or bool(CONCEDE_RE.search("".join(tokens))),
        "pos_strong": pos_strong,
        "neg_strong": neg_strong,
        "no_mass": pos == 0 and neg == 0,
        "grievance": grievance,
    }
    return Verdict(
        polarity=polarity,
        score=score,
        complaint=polarity == "mixed" or (polarity == "negative" and grievance),
        aspects=aspects,
        evidence=evidence,
        flags=flags,
        lexical=pos - neg,
        nb=nb,
        raw=raw,
        unrated=frozenset(
            h.aspect for h in analysis.hits if h.aspect and h.lukewarm and h.weight == 0
        ),
        firm=_firm(analysis, aspects),
    )
