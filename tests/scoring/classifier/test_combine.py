"""How the rules' tags and the learned heads' probabilities combine (scoring.classifier.combine)."""

from __future__ import annotations

from scoring.classifier import combine

SURE_NEG = {"none": 0.05, "pos": 0.05, "neg": 0.9}
SURE_NONE = {"none": 0.95, "pos": 0.02, "neg": 0.03}


def test_head_adds_a_tag_the_rules_missed_when_sure_enough() -> None:
    t = combine.Thresholds(add=0.6)
    assert combine.aspect("timeliness", SURE_NEG, None, t) == "neg"
    assert combine.aspect("timeliness", {"none": 0.5, "pos": 0.1, "neg": 0.4}, None, t) is None


def test_head_adds_no_tag_to_an_aspect_the_rules_read_as_unrated() -> None:
    assert combine.aspect("attitude", SURE_NEG, None, unrated=True) is None


def test_shipped_thresholds_cover_every_aspect() -> None:
    for aspect in ("attitude", "clarity", "timeliness", "resolution"):
        assert 0 < combine.SHIPPED.add_for(aspect) < 1
        assert 0 < combine.SHIPPED.drop_for(aspect) <= 1.1


def test_rule_tag_stands_unless_the_head_is_sure_of_the_other_sign_or_of_none() -> None:
    t = combine.Thresholds(drop=0.9)
    assert combine.aspect("attitude", {"none": 0.5, "pos": 0.3, "neg": 0.2}, "pos", t) == "pos"
    assert combine.aspect("attitude", SURE_NEG, "pos", t) == "neg"
    assert combine.aspect("attitude", SURE_NONE, "pos", t) is None
    assert combine.aspect("attitude", SURE_NONE, "pos", combine.Thresholds(drop=1.1)) == "pos"


def test_per_aspect_add_threshold_overrides_the_common_one() -> None:
    t = combine.Thresholds(add=0.6, per_aspect_add={"clarity": 0.95})
    assert combine.aspect("clarity", SURE_NEG, None, t) is None
    assert combine.aspect("timeliness", SURE_NEG, None, t) == "neg"


def test_conceded_praise_is_never_mixed() -> None:
    dist = {"positive": 0.2, "negative": 0.5, "neutral": 0.05, "mixed": 0.25}
    assert combine.polarity(dist, conceded=False) == "mixed"
    assert combine.polarity(dist, conceded=True) == "negative"


def test_head_drops_a_mild_rule_tag_but_not_one_a_plain_cue_supports() -> None:
    t = combine.Thresholds(drop=0.6)
    assert combine.aspect("timeliness", SURE_NONE, "neg", t, firm=False) is None
    assert combine.aspect("timeliness", SURE_NONE, "neg", t, firm=True) == "neg"
    sure = combine.Thresholds(drop=0.6, drop_firm=0.9)
    assert combine.aspect("timeliness", SURE_NONE, "neg", sure, firm=True) is None
