"""Lexicon rules: aspect cues with negation, degree, contrast, hopes and sarcasm."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scoring.classifier.lexicon import ASPECTS, Lexicon

PUNCT = frozenset(",.!?;:~、。，！？；：…～\n")
QUESTION = frozenset("?？")
QUOTES = frozenset("\"'“”‘’「」『』")
# Tokens that may sit inside a multi-token cue (态度|很|好 -> 态度好, 修|得|好 -> 修好).
FILLERS = frozenset({"得", "的", "地", "也", "都", "还", "是"})
PREFIXES = (
    "没有",
    "不",
    "没",
    "未",
    "非常",
    "特别",
    "超级",
    "很",
    "太",
    "超",
    "挺",
    "真",
    "好",
    "最",
    "有点",
    "比较",
    "也",
    "都",
    "还",
    "再",
    "更",
    "越来越",
)
APPROX = frozenset({"快", "近", "将近", "差不多"})
SMALL_AMOUNTS = frozenset({"一点", "一点儿", "一些", "一下", "点"})
NUMERALS = frozenset("0123456789一二两三四五六七八九十百几半")
PARTICLES = frozenset("了的啦呀啊哦哈呢吧嘛")
TAILS = frozenset(
    {"你", "你们", "您", "师傅", "物业", "管家", "了", "啦", "的", "啊", "呀", "哦", "性"}
)
NON_PERSON = frozenset({"让", "令", "使", "叫", "有", "没", "没有", "别"})
QUESTION_ENDS = frozenset({"吗", "么", "呢", "吧?"})
QUESTION_WORDS = ("什么时候", "多久", "几点", "哪天", "怎么", "能不能", "可不可以")
LOOKBACK = 3

_NUM = r"[0-9一二两三四五六七八九十百几半多]+"
_LONG = r"(?:个)?\s*多?\s*(?:小时|钟头|天|日|周|星期|礼拜|月|年)"
WAIT_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(
        rf"(?:等了?|拖了|耗了|过去了?)\s*(?:整整|快|差不多|将近|近|足足)?\s*{_NUM}\s*{_LONG}"
    ),
    re.compile(rf"{_NUM}\s*{_LONG}\s*(?:了)?\s*(?:才|都没|还没|还在|也没|没人)"),
)
WAIT_PATTERNS += (
    re.compile(rf"{_NUM}\s*(?:个)?\s*多?\s*(?:小时|钟头|天|周|星期|礼拜|月)\s*了"),
    re.compile(rf"(?:花了|用了)\s*{_NUM}\s*{_LONG}"),
)
QUICK_PATTERNS = (
    re.compile(r"(?:当天|当晚|第二天|一早|马上|立马|立刻)\s*就"),
    re.compile(rf"{_NUM}\s*{_LONG}\s*内\s*就"),
    re.compile(rf"{_NUM}\s*分钟?\s*(?:就|内|之内)"),
    re.compile(r"半\s*(?:个)?\s*(?:小时|钟头)\s*(?:就|内|之内)"),
    re.compile(r"不到\s*[一两半]\s*(?:个)?\s*(?:小时|钟头)"),
)


@dataclass
class Hit:
    """One matched cue after negation, degree, sarcasm and hope were applied."""

    aspect: str | None
    weight: float
    word: str
    mild: bool
    clause: int
    polar: bool = True


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
    clauses: list[tuple[list[str], bool]] = []
    current: list[str] = []
    for tok in tokens:
        if tok in PUNCT or all(ch in PUNCT for ch in tok):
            if current:
                clauses.append((current, bool(QUESTION & set(tok))))
                current = []
            elif clauses and QUESTION & set(tok):
                clauses[-1] = (clauses[-1][0], True)
            continue
        current.append(tok)
    if current:
        clauses.append((current, False))
    return clauses


def _match(tokens: list[str], i: int, lex: Lexicon) -> tuple[int, str, float, int] | None:
    """Find the longest cue starting at token i: (end, word, degree inside, negations)."""
    for span in range(min(lex.max_span, len(tokens) - i), 1, -1):
        inner = tokens[i : i + span]
        raw = "".join(inner)
        if raw in lex.cues:
            return i + span, raw, 1.0, 0
        if inner[-1] in FILLERS or inner[-1] in lex.degree:
            continue
        kept = [inner[0]]
        degree = 1.0
        for tok in inner[1:-1]:
            if tok in lex.degree:
                degree *= lex.degree[tok]
            elif tok not in FILLERS:
                kept.append(tok)
        kept.append(inner[-1])
        word = "".join(kept)
        if word in lex.cues:
            return i + span, word, degree, 0
    tok = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if tok in APPROX and nxt[:1] in NUMERALS and nxt not in SMALL_AMOUNTS:
        return None  # 快三个小时 means "almost three hours", not "fast"
    if tok in lex.cues:
        return i + 1, tok, 1.0, 0
    # A cue glued to a pronoun or particle (谢谢你们, 满意啦) counts as that cue.
    for cut in range(len(tok) - 1, 1, -1):
        if tok[:cut] in lex.cues and tok[cut:] in TAILS:
            return i + 1, tok[:cut], 1.0, 0
    return None


def _split_token(tok: str, lex: Lexicon, depth: int = 0) -> list[str]:
    """Split a negation or degree prefix off a token jieba glued (不太好 -> 不|太|好)."""
    if depth > 2 or tok in lex.cues or tok in lex.targets or len(tok) < 2:
        return [tok]
    for prefix in PREFIXES:
        if tok.startswith(prefix) and len(tok) > len(prefix):
            rest = _split_token(tok[len(prefix) :], lex, depth + 1)
            if rest[0] in lex.cues or rest[0] in lex.degree or rest[0] in lex.negations:
                return [prefix, *rest]
    if tok[:2] in lex.targets and tok[2:] in lex.cues:
        return [tok[:2], tok[2:]]
    if tok[-1] in PARTICLES:
        stem = _split_token(tok[:-1], lex, depth + 1)
        if stem[-1] in lex.cues:
            return [*stem, tok[-1]]
    return [tok]


def split_tokens(tokens: list[str], lex: Lexicon) -> list[str]:
    """Apply `_split_token` to every token."""
    out: list[str] = []
    for tok in tokens:
        out.extend(_split_token(tok, lex))
    return out


def _context(tokens: list[str], i: int, lex: Lexicon) -> tuple[float, int, int]:
    """Return the degree factor, the number of negations and where the first one is."""
    degree = 1.0
    negations = 0
    first = i
    for k in range(max(0, i - LOOKBACK), i):
        tok = tokens[k]
        if tok in lex.negations:
            negations += 1
            first = min(first, k)
        elif tok in lex.degree:
            degree *= lex.degree[tok]
        elif tok in PUNCT:
            negations, degree, first = 0, 1.0, i
    return degree, negations, first


def _timeliness_patterns(text: str, clause: int, hope: bool) -> list[Hit]:
    hits = []
    for pattern in WAIT_PATTERNS:
        for m in pattern.finditer(text):
            hits.append(Hit("timeliness", -1.2, m.group(0).strip(), hope, clause, not hope))
    for pattern in QUICK_PATTERNS:
        for m in pattern.finditer(text):
            hits.append(Hit("timeliness", 1.2, m.group(0).strip(), False, clause))
    return hits


def _clause_hits(
    tokens: list[str], index: int, lex: Lexicon, question: bool
) -> tuple[list[Hit], bool]:
    text = "".join(tokens)
    hope_word = next((tok for tok in tokens if tok in lex.hope), "")
    hope = bool(hope_word)
    question = question or tokens[-1] in QUESTION_ENDS or any(w in text for w in QUESTION_WORDS)
    sarcastic = any(marker in text for marker in lex.sarcasm) or (
        question and text.startswith("这")
    )
    # "When will it be fixed?" asks for what is missing, like a wish does.
    wish = hope or (question and not sarcastic)
    hits: list[Hit] = []
    spans: list[tuple[int, int, Hit]] = []
    wished = False
    i = 0
    while i < len(tokens):
        found = _match(tokens, i, lex)
        if found is None:
            i += 1
            continue
        end, word, inner_degree, inner_neg = found
        cue = lex.cues[word]
        degree, negations, first = _context(tokens, i, lex)
        degree *= inner_degree
        negations += inner_neg
        weight = cue.weight * degree
        evidence = "".join(tokens[first:end])
        mild = degree < 1 or abs(cue.weight) < 0.5
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
        hit = Hit(cue.aspect, weight, evidence, mild, index, polar)
        wished = wished or (wish and not polar and cue.aspect is not None)
        if cue.aspect is not None or polar:
            hits.append(hit)
            spans.append((i, end, hit))
        i = end
    hits.extend(_target_hits(tokens, index, spans, lex, sarcastic))
    hits.extend(_persistence_hits(tokens, index, lex, wish))
    hits.extend(_timeliness_patterns(text, index, hope))
    return hits, wished or (hope and not hits)


def _persistence_hits(tokens: list[str], index: int, lex: Lexicon, wish: bool) -> list[Hit]:
    """Rate resolution negative when a problem persists (还是漏, 又坏了, 到现在还不亮)."""
    for k, tok in enumerate(tokens):
        if tok not in lex.persist:
            continue
        for j in (*range(k + 1, min(len(tokens), k + 4)), *range(max(0, k - 3), k)):
            if tokens[j] in lex.problems:
                word = "".join(tokens[min(j, k) : max(j, k) + 1])
                return [Hit("resolution", -1.0, word, wish, index, polar=not wish)]
    return []


def _target_hits(
    tokens: list[str], index: int, spans: list[tuple[int, int, Hit]], lex: Lexicon, sarcastic: bool
) -> list[Hit]:
    """Rate an aspect from a sentiment word right after its target (态度|很差, 人|很好)."""
    hits = []
    for k, tok in enumerate(tokens):
        aspect = lex.targets.get(tok)
        if aspect is None or (k > 0 and tokens[k - 1] in NON_PERSON):
            continue
        rated = False
        for start, end, hit in spans:
            if hit.aspect is None and k < start <= k + LOOKBACK:
                word = tok + "".join(tokens[k + 1 : end])
                hits.append(Hit(aspect, hit.weight, word, hit.mild, index, polar=False))
                rated = True
                break
            if hit.aspect is not None and k < start <= k + LOOKBACK:
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


def analyze(tokens: list[str], lex: Lexicon) -> Analysis:
    """Apply the lexicon rules to a segmented comment."""
    result = Analysis()
    clauses = split_clauses(tokens)
    factors = [1.0] * len(clauses)
    for index, (ctoks, question) in enumerate(clauses):
        hits, hope = _clause_hits(split_tokens(ctoks, lex), index, lex, question)
        result.questions += question or ctoks[-1] in QUESTION_ENDS
        result.hits.extend(hits)
        result.hope_clauses += hope
        if any(tok in lex.concede for tok in ctoks):
            factors[index] *= 0.35
            result.conceded = True
        if any(tok in lex.but for tok in ctoks[:3]):
            for earlier in range(index):
                factors[earlier] *= 0.6
            factors[index] *= 1.3
    result.clause_factor = factors
    return result
