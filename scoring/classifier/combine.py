"""How the rules' verdict and the learned heads' probabilities make the final labels.

The rules' aspect tags are precise but miss unfamiliar wording: a head adds a tag the rules
lack at `add`, turns a rule tag's sign (sarcasm) at `flip`, and drops a rule tag when it is
sure enough that the aspect is not rated at `drop`. Constants are chosen by the
leave-one-writer-out cross-validation of bench/classifier_cv.py (docs/benchmarks.md), never on
the blind set or a public corpus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, cast

Polarity = Literal["positive", "negative", "neutral", "mixed"]
AspectValue = Literal["pos", "neg"] | None


@dataclass(frozen=True)
class Thresholds:
    """Probabilities at which a head overrides the rules (per aspect where given)."""

    add: float = 0.6
    flip: float = 0.8
    drop: float = 1.1  # above 1: a head never drops a rule tag
    # A tag a plain cue supports (延误, 态度很差) is dropped only at this level.
    drop_firm: float = 1.1
    # "mixed" is rare in training, so the head under-calls it: a fifth is enough.
    mixed: float = 0.2
    per_aspect_add: dict[str, float] = field(default_factory=dict)
    per_aspect_drop: dict[str, float] = field(default_factory=dict)

    def add_for(self, aspect: str) -> float:
        """Return the probability at which a head adds a tag of `aspect`."""
        return self.per_aspect_add.get(aspect, self.add)

    def drop_for(self, aspect: str) -> float:
        """Return the probability of "not rated" at which a head drops a rule tag."""
        return self.per_aspect_drop.get(aspect, self.drop)


ROUND_TWO = Thresholds()
# Leave-one-writer-out CV (bench/classifier_cv.py --halves --writers-only --tune, fifteen
# writers, docs/benchmarks.md): per-aspect adds and drops picked on the odd-numbered writers
# hold on the even ones and back (+0.009 / +0.011 macro-F1), and picked on all of them give
# 0.778 -> 0.788 on unseen writers. A head drops only a tag a mild cue gave (有点慢); a tag a
# plain cue gave (延误, 态度很差) it may turn (sarcasm) but not drop (drop_firm stays above 1).
SHIPPED = Thresholds(
    add=0.45,
    per_aspect_add={"attitude": 0.35, "clarity": 0.3, "timeliness": 0.3, "resolution": 0.3},
    per_aspect_drop={"attitude": 0.6, "clarity": 0.8, "timeliness": 0.5, "resolution": 0.5},
)


def polarity(dist: dict[str, float], conceded: bool, t: Thresholds = SHIPPED) -> Polarity:
    """Pick the likeliest polarity; praise that was conceded (虽然…但是) is never "mixed"."""
    best = max(dist, key=dist.__getitem__)
    if best != "neutral" and dist["mixed"] >= t.mixed:
        best = "mixed"
    if best == "mixed" and conceded:
        best = "positive" if dist["positive"] > dist["negative"] else "negative"
    return cast(Polarity, best)


def aspect(
    name: str,
    dist: dict[str, float],
    rule: str | None,
    t: Thresholds = SHIPPED,
    unrated: bool = False,
    firm: bool = False,
) -> AspectValue:
    """Combine an aspect head's distribution with the rules' tag.

    unrated: the rules read the aspect as named but rated neither way (服务一般); no tag.
    firm: a plain cue of the rules' sign supports their tag (延误); a head rarely drops it.
    """
    if rule is None and unrated:
        return None
    if rule is None:
        best = "pos" if dist["pos"] >= dist["neg"] else "neg"
        return cast(AspectValue, best) if dist[best] >= t.add_for(name) else None
    if dist["none"] >= (max(t.drop_firm, t.drop_for(name)) if firm else t.drop_for(name)):
        return None
    other = "neg" if rule == "pos" else "pos"
    return cast(AspectValue, other if dist[other] >= t.flip else rule)
