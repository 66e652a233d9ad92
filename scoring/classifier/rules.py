"""Lexicon rules: aspect cues with negation, degree, contrast, hopes and sarcasm."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scoring.classifier.cues import (
    FILLERS,
    PARTICLES,
    PUNCT,
    context,
    match,
    split_tokens,
)
from scoring.classifier.hits import (
    Hit,
    conduct_hits,
    persistence_hits,
    target_hits,
    timeliness_hits,
    unrated,
)
from scoring.classifier.lexicon import ASPECTS, Cue, Lexicon
from scoring.classifier.service import about_service, in_charge, names_any

QUESTION = frozenset("?？")
BRIEF_CHARS = 40
# "Average": after a target it says so-so, no verdict either way (服务一般).
LUKEWARM = frozenset({"一般", "一般般", "普通", "凑合", "马马虎虎"})
# Verbs of the speaker's liking or the person's suggestion, not a rating of the person.
SPEAKER = frozenset({"推荐", "喜欢", "爱", "不喜欢"})
RESULT_CUE = Cue("resolution", 0.8)
# One plain lateness makes the service late even when another step was quick
# (来得很快，可是等了三天才修好; 速度真快啊，才等了五天): it is not averaged away.
LATE_WINS = ("timeliness",)
POST_NEGATIONS = frozenset({"都没有", "也没有", "都没", "也没", "没有"})
QUOTES = frozenset("\"'“”‘’「」『』")
QUESTION_ENDS = frozenset({"吗", "么", "呢", "吧?"})
BRIEF_WAIT = re.compile(r"等了?\s*(?:一小会|一会|一下|片刻)(?!儿?\s*才)")
QUESTION_WORDS = ("什么时候", "多久", "几点", "哪天", "怎么", "能不能", "可不可以")
_QUESTION_WORDS = re.compile("|".join(map(re.escape, QUESTION_WORDS)))


@dataclass
class Analysis:
    """What the rules found in one comment."""

    hits: list[Hit] = field(default_factory=list)
    clause_factor: list[float] = field(default_factory=list)
    hope_clauses: int = 0
    questions: int = 0
    conceded: bool = False

    def aspect_scores(self) -> dict[str, float]:
        """Sum the signed weights per aspect."""
        scores = dict.fromkeys(ASPECTS, 0.0)
        for hit in self.hits:
            if hit.aspect is not None:
                # Contrast decides the overall polarity, not whether an aspect was rated.
                scores[hit.aspect] += hit.weight
        for aspect in LATE_WINS:
            plain = [
                h.weight
                for h in self.hits
                if h.aspect == aspect and h.weight <= -0.5 and not h.mild
            ]
            if plain and scores[aspect] > 0:
                scores[aspect] = min(plain)
        return scores

    def masses(self) -> tuple[float, float, bool, bool]:
        """Return positive mass, negative mass, and whether each side has a non-mild hit."""
        pos = neg = 0.0
        pos_strong = neg_strong = False
        for hit in self.hits:
            if not hit.polar:
                continue
            w = hit.weight * self.clause_factor[hit.clause]
            if w > 0:
                pos += w
                pos_strong = pos_strong or not hit.mild
            elif w < 0:
                neg -= w
                neg_strong = neg_strong or not hit.mild
        return pos, neg, pos_strong, neg_strong


def split_clauses(tokens: list[str]) -> list[tuple[list[str], bool]]:
    """Split tokens at punctuation; flag clauses that end with a question mark."""
    return clauses_at(tokens)[0]


def clauses_at(tokens: list[str]) -> tuple[list[tuple[list[str], bool]], list[int]]:
    """Return split_clauses' clauses and the character offset each one starts at."""
    clauses: list[tuple[list[str], bool]] = []
    starts: list[int] = []
    current: list[str] = []
    pos = 0
    for tok in tokens:
        pos += len(tok)
        if PUNCT.issuperset(tok):
            if current:
                clauses.append((current, not QUESTION.isdisjoint(tok)))
                current = []
            elif clauses and not QUESTION.isdisjoint(tok):
                clauses[-1] = (clauses[-1][0], True)
            continue
        if not current:
            starts.append(pos - len(tok))
        current.append(tok)
    if current:
        clauses.append((current, False))
    return clauses, starts


def _degree_hao(tokens: list[str], end: int, word: str, lex: Lexicon) -> bool:
    """Tell whether 好 is the adverb "so" before a word (好有范儿), not praise."""
    if word != "好" or end >= len(tokens):
        return False
    nxt = tokens[end]
    return (
        nxt not in PUNCT
        and nxt not in FILLERS
        and nxt[0] not in PARTICLES
        and nxt not in lex.targets
    )


def _resultative(tokens: list[str], i: int, end: int, word: str, lex: Lexicon) -> bool:
    """Tell whether 好 completes a verb (接|好|了) rather than praising (很|好)."""
    if word != "好" or i == 0 or end >= len(tokens) or tokens[end] != "了":
        return False
    return tokens[i - 1] not in lex.degree and tokens[i - 1] not in lex.negations


def _done_late(word: str, aspect: str | None, lex: Lexicon) -> Cue | None:
    """Return the resolution cue inside a lateness cue (才修好 -> 修好), if any."""
    if aspect != "timeliness" or not word.startswith("才"):
        return None
    inner = lex.cues.get(word[1:])
    return inner if inner is not None and inner.aspect == "resolution" else None


def _clause_hits(
    tokens: list[str],
    index: int,
    lex: Lexicon,
    question: bool,
    short: bool = False,
    near: tuple[bool, bool] = (False, False),
) -> tuple[list[Hit], bool]:
    """Match the cues of one clause; also say whether it was only a wish."""
    text = "".join(tokens)
    hope_word = "" if lex.hope.isdisjoint(tokens) else next(t for t in tokens if t in lex.hope)
    hope = bool(hope_word)
    question = question or tokens[-1] in QUESTION_ENDS or bool(_QUESTION_WORDS.search(text))
    sarcastic = bool(lex.sarcasm_re.search(text)) or (question and text.startswith("这"))
    # "When will it be fixed?" asks for what is missing, like a wish does.
    wish = hope or (question and not sarcastic)
    hits: list[Hit] = []
    spans: list[tuple[int, int, Hit]] = []
    wished = False
    # In a long story a speed or manner word must be about the service (near[0] for
    # timeliness, near[1] for attitude: a neighbouring clause names it).
    anchored = short or not lex.anchors.isdisjoint(tokens)
    prefixes = lex.prefixes
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        # No cue starts with this token, and it is too short to hold one glued to a tail.
        if tok not in prefixes and len(tok) < 3:
            i += 1
            continue
        found = match(tokens, i, lex)
        if found is None:
            i += 1
            continue
        end, word, inner_degree, inner_neg = found
        cue = lex.cues[word]
        if not about_service(tokens, i, end, word, cue.aspect, lex, short, near, wish):
            if in_charge(tokens, i, end, word, lex):
                # 负责我们楼的管家: "in charge of" names a duty, rates no one's manner (unrated).
                hits.append(unrated("attitude", word, index))
            i = end
            continue
        if _degree_hao(tokens, end, word, lex):
            # 老板好有范儿, 师傅好厉害: 好 is "so", the next word carries the rating; if none
            # does (管家好有个性), the person is described, not rated.
            named = lex.targets.get(tokens[i - 1]) if i else None
            if named is not None:
                hits.append(unrated(named, tokens[i - 1] + word, index))
            i = end
            continue
        degree, negations, first = context(tokens, i, lex)
        if cue.weight == 0 and degree != 1 and word[-1] == "的" and word[:-1] in lex.cues:
            cue = lex.cues[word[:-1]]  # 蛮|好的 is praise, not the acknowledgment 好的
        if _resultative(tokens, i, end, word, lex):
            cue = RESULT_CUE  # 灯接|好|了: the job is done, not "good"
            first = min(first, i - 1)
        degree *= inner_degree
        negations += inner_neg
        weight = cue.weight * degree
        evidence = "".join(tokens[first:end])
        mild = degree < 1 or abs(cue.weight) < 0.5
        nxt = tokens[end] if end < len(tokens) else ""
        pair = "".join(tokens[end : end + 2])
        post = nxt if nxt in POST_NEGATIONS else (pair if pair in POST_NEGATIONS else "")
        if post:
            # 一句道歉都没有: the denial follows the word.
            negations += 1
            evidence += post
        if negations % 2:
            # 不满意 is plainly negative; 不慢 is only a weak positive.
            weight = -weight if weight > 0 else -weight * 0.6
            mild = mild or weight > 0
        quoted = i > 0 and tokens[i - 1] in QUOTES and end < len(tokens) and tokens[end] in QUOTES
        if (sarcastic or quoted) and weight > 0:
            weight = -weight
            mild = False
        polar = True
        if (wish and weight > 0) or hope:
            # A wish for X means X was lacking: a mild aspect negative, no polarity.
            weight = -abs(weight) * 0.5
            mild = True
            polar = False
            if hope_word:
                evidence = f"{hope_word}…{evidence}"
        lukewarm = (word in LUKEWARM or word in SPEAKER) and negations == 0
        # 一般, 凑合 say "so-so": a weak verdict, never a strong grievance (nor a complaint's).
        hit = Hit(cue.aspect, weight, evidence, mild or lukewarm, index, polar, lukewarm)
        done = _done_late(word, cue.aspect, lex) if negations % 2 == 0 else None
        if done is not None and not wish:
            # 一个礼拜才修好: late, but fixed.
            hits.append(Hit("resolution", done.weight, evidence, False, index, polar=False))
        wished = wished or (wish and not polar and cue.aspect is not None)
        if cue.aspect is not None or polar:
            hits.append(hit)
            spans.append((i, end, hit))
        i = end
    hits.extend(target_hits(tokens, index, spans, lex, sarcastic))
    hits.extend(persistence_hits(tokens, index, lex, wish))
    hits.extend(timeliness_hits(text, index, hope, anchored or near[0]))
    if BRIEF_WAIT.search(text) and not any(t in lex.concede or t in lex.but for t in tokens):
        # 让我等了一会儿 told as a fact rates no speed (a conceded one, 虽然等了一会儿, does).
        hits.append(unrated("timeliness", "等了一会儿", index))
    return hits, wished or (hope and not hits)


CORRECTED = frozenset({"不是", "并不是", "倒不是", "也不是", "不只是", "不仅是", "不光是"})
CORRECTION = ("是", "而是", "就是", "根本是", "分明是", "这是")


def _corrected(clauses: list[tuple[list[str], bool]], index: int) -> bool:
    """Tell whether clause `index` is "不是 X" followed by a clause "(而)是 Y" correcting it."""
    if index + 1 >= len(clauses) or CORRECTED.isdisjoint(clauses[index][0][:4]):
        return False
    nxt = clauses[index + 1][0]
    return nxt[0] in CORRECTION or (nxt[0] in ("而", "却") and len(nxt) > 1 and nxt[1] == "是")


def analyze(tokens: list[str], lex: Lexicon) -> Analysis:
    """Apply the lexicon rules to a segmented comment."""
    result = Analysis()
    clauses, starts = clauses_at(tokens)
    factors = [1.0] * len(clauses)
    split = [split_tokens(ctoks, lex) for ctoks, _ in clauses]
    # A short reply to a work order is about that service; in a longer story a cue needs a
    # service word or person in its own clause or next to it.
    brief = sum(map(len, tokens)) <= BRIEF_CHARS
    names = [(names_any(s, 0, 0, lex.anchors), names_any(s, 0, 0, lex.people)) for s in split]
    replaced: set[int] = set()
    for index, (ctoks, question) in enumerate(clauses):
        short = len(clauses) <= 2 and sum(map(len, ctoks)) <= 8
        around = [names[k] for k in (index - 1, index + 1) if 0 <= k < len(names)]
        near = (brief or any(n[0] for n in around), brief or any(n[1] for n in around))
        hits, hope = _clause_hits(split[index], index, lex, question, short, near)
        if _corrected(clauses, index):
            hits = []  # 不是慢，是根本不来: the next clause replaces this one's verdict
            replaced.add(index)
        result.questions += question or ctoks[-1] in QUESTION_ENDS
        result.hits.extend(hits)
        result.hope_clauses += hope
        if not lex.concede.isdisjoint(ctoks):
            factors[index] *= 0.35
            result.conceded = True
        if not lex.but.isdisjoint(ctoks[:3]):
            for earlier in range(index):
                factors[earlier] *= 0.6
            factors[index] *= 1.3
    result.hits.extend(conduct_hits(tokens, clauses, starts, lex, replaced))
    result.clause_factor = factors
    return result
