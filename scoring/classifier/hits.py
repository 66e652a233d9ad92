"""What the rules find in a clause: the Hit, and hits beside the cue words themselves.

A target followed by a verdict (态度|很差), a problem that persists (还是漏), a wait told as a
pattern (等了三天), the staff conduct owners blame (踢皮球): `rules.analyze` adds these to the
hits of each clause's cues.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.classifier.conduct import conduct_in_clauses
from scoring.classifier.cues import LOOKBACK
from scoring.classifier.lexicon import Lexicon
from scoring.classifier.patterns import lasted_for, still_undone, timeliness_matches

BARE_PERSON = frozenset({"人", "人太好", "人很好"})
ONGOING = ("了", "还", "都", "没", "也没", "仍")
NON_PERSON = frozenset({"让", "令", "使", "叫", "有", "没", "没有", "别"})


@dataclass
class Hit:
    """One matched cue after negation, degree, sarcasm and hope were applied."""

    aspect: str | None
    weight: float
    word: str
    mild: bool
    clause: int
    polar: bool = True
    # 一般, 还行, 可以: says "so-so", rates no aspect after a target. With weight 0 and an
    # aspect: the comment names that aspect and explicitly rates it neither way (unrated).
    lukewarm: bool = False


def unrated(aspect: str, word: str, clause: int) -> Hit:
    """Return a hit that names `aspect` and rates it neither way (the heads add no tag)."""
    return Hit(aspect, 0.0, word, True, clause, False, True)


def timeliness_hits(text: str, clause: int, hope: bool, anchored: bool) -> list[Hit]:
    """Rate timeliness from a wait told as a pattern (等了三天, 当天就修好)."""
    hits = []
    for word, weight, waited in timeliness_matches(text):
        if weight == 0:
            hits.append(unrated("timeliness", word, clause))
            continue
        if not (anchored or waited):
            continue  # 找了半天才到, 当天就走: a duration alone does not rate a service
        if weight < 0:
            hits.append(Hit("timeliness", weight, word, hope, clause, not hope))
        else:
            hits.append(Hit("timeliness", weight, word, False, clause))
    return hits


def persistence_hits(tokens: list[str], index: int, lex: Lexicon, wish: bool) -> list[Hit]:
    """Rate resolution negative when a problem persists (还是漏, 又坏了, 到现在还不亮)."""
    # Most clauses hold no marker and no problem word: skip both scans (set tests in C).
    for k, tok in enumerate(() if lex.persist.isdisjoint(tokens) else tokens):
        if tok not in lex.persist:
            continue
        for j in (*range(k + 1, min(len(tokens), k + 4)), *range(max(0, k - 3), k)):
            if tokens[j] in lex.problems or tokens[j][-1:] in lex.problems:
                word = "".join(tokens[min(j, k) : max(j, k) + 1])
                return [Hit("resolution", -1.0, word, wish, index, polar=not wish)]
    for k, tok in enumerate(() if lex.problems.isdisjoint(tokens) else tokens):
        # 坏了半个月了, 堵了一个礼拜还没通: the problem has lasted that long and still does.
        if tok in lex.problems and tok not in lex.persist:
            rest = "".join(tokens[k + 1 : k + 8])
            lasted = lasted_for(rest)
            # Only the ongoing reading: 坏了一个月了 / 坏了一个月还…, not 坏了两天(才修好).
            if lasted and rest[len(lasted) :].startswith(ONGOING):
                return [Hit("resolution", -1.0, tok + lasted, wish, index, polar=not wish)]
            if lasted and rest[len(lasted) :].startswith("才"):
                # 坏了两天才有人来修: the fault lasted until someone came — late, not unsolved.
                return [unrated("resolution", tok + lasted, index)]
    undone = still_undone("".join(tokens))
    if undone:
        return [Hit("resolution", -1.0, undone, wish, index, polar=not wish)]
    return []


def target_hits(
    tokens: list[str], index: int, spans: list[tuple[int, int, Hit]], lex: Lexicon, sarcastic: bool
) -> list[Hit]:
    """Rate an aspect from a sentiment word right after its target (态度|很差, 人|很好)."""
    hits: list[Hit] = []
    if lex.targets.keys().isdisjoint(tokens):
        return hits
    for k, tok in enumerate(tokens):
        aspect = lex.targets.get(tok)
        if aspect is None or (k > 0 and tokens[k - 1] in NON_PERSON):
            continue
        if tok in BARE_PERSON and k > 0 and tokens[k - 1] not in lex.people:
            continue  # 师傅人很好 rates a person; 没什么人, 两个人刚好 count heads
        # A target inside a matched cue (态度问题) was already rated by that cue.
        rated = any(start <= k < end for start, end, _ in spans)
        for start, end, hit in [] if rated else spans:
            if hit.aspect is None and hit.lukewarm and k < start <= k + LOOKBACK:
                # 服务一般, 服务员推荐: no verdict on the person, and it is said (unrated).
                hits.append(unrated(aspect, tok + hit.word, index))
                rated = True
                break
            if hit.aspect is None and k < start <= k + LOOKBACK:
                word = tok + "".join(tokens[k + 1 : end])
                hits.append(Hit(aspect, hit.weight, word, hit.mild, index, polar=False))
                rated = True
                break
            if hit.aspect is not None and abs(hit.weight) >= 0.5 and k < start <= k + LOOKBACK:
                # A weak marker in between (服务|还是|不错) does not rate it.
                rated = True
                break
        if rated:
            continue
        before = tokens[max(0, k - 2) : k]
        if sarcastic or any(t in lex.negations for t in before):
            # 这态度? / 没有任何解释: a target that is denied or mocked is rated negative.
            word = "".join(before) + tok if not sarcastic else tok
            hits.append(Hit(aspect, -1.0, word, False, index, polar=True))
    return hits


def conduct_hits(tokens: list[str], clauses: list[tuple[list[str], bool]], starts: list[int],
                  lex: Lexicon, replaced: set[int]) -> list[Hit]:
    """Rate the staff conduct owners blame (踢皮球, 电话没人接), across clauses too.

    Not in a clause a "不是 X，是 Y" replaces (不是找不到人，是找到了也没用).
    """
    hits = []
    for word, unanswered, index in conduct_in_clauses("".join(tokens), starts):
        if index in replaced:
            continue
        # A wish (希望别再踢皮球) says the conduct happened, mildly; not a grievance's mass.
        hope = not lex.hope.isdisjoint(clauses[index][0])
        weight = -0.5 if hope else -1.0
        hits.append(Hit("attitude", weight, word, hope, index, polar=not (hope or unanswered)))
        if unanswered:
            hits.append(Hit("timeliness", weight, word, hope, index, polar=not hope))
    return hits
