"""Token-level cue matching: multi-token cues, glued prefixes, negation and degree context."""

from __future__ import annotations

from scoring.classifier.lexicon import Lexicon

PUNCT = frozenset(",.!?;:~、。，！？；：…～\n")
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
    "能",
    "要",
)
APPROX = frozenset({"快", "近", "将近", "差不多"})
SMALL_AMOUNTS = frozenset({"一点", "一点儿", "一些", "一下", "点"})
NUMERALS = frozenset("0123456789一二两三四五六七八九十百几半")
PARTICLES = frozenset("了的啦呀啊哦哈呢吧嘛")
TAILS = frozenset(
    {"你", "你们", "您", "师傅", "物业", "管家", "了", "啦", "的", "啊", "呀", "哦", "性"}
)
LOOKBACK = 3


def match(tokens: list[str], i: int, lex: Lexicon) -> tuple[int, str, float, int] | None:
    """Find the longest cue starting at token i: (end, word, degree inside, negations)."""
    # Every multi-token cue starts with a whole token that is shorter than the cue, so
    # most tokens can skip the spans.
    spans = lex.max_span if tokens[i] in lex.starts else 1
    for span in range(min(spans, len(tokens) - i), 1, -1):
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
    for prefix in (*PREFIXES, *lex.degree):
        if tok.startswith(prefix) and len(tok) > len(prefix):
            rest = _split_token(tok[len(prefix) :], lex, depth + 1)
            if rest[0] in lex.cues or rest[0] in lex.degree or rest[0] in lex.negations:
                return [prefix, *rest]
    for cut in range(1, len(tok)):
        if tok[:cut] in lex.targets:
            rest = _split_token(tok[cut:], lex, depth + 1)
            if rest[0] in lex.cues or rest[0] in lex.degree or rest[0] in lex.negations:
                return [tok[:cut], *rest]
    if tok[-1] in PARTICLES:
        stem = _split_token(tok[:-1], lex, depth + 1)
        if stem[-1] in lex.cues:
            return [*stem, tok[-1]]
    return [tok]


def split_tokens(tokens: list[str], lex: Lexicon) -> list[str]:
    """Apply `_split_token` to every token (memoised: the same words recur constantly)."""
    out: list[str] = []
    cache = lex.split_cache
    for tok in tokens:
        pieces = cache.get(tok)
        if pieces is None:
            if len(cache) > 100_000:
                cache.clear()
            pieces = cache[tok] = _split_token(tok, lex)
        out.extend(pieces)
    return out


def context(tokens: list[str], i: int, lex: Lexicon) -> tuple[float, int, int]:
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
