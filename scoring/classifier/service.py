"""Is a speed or manner word about the service? (anchors, waits, requests, "almost")."""

from __future__ import annotations

from scoring.classifier.cues import PUNCT
from scoring.classifier.lexicon import Lexicon

# A wait is about service on its own; other speed words need a service word nearby.
WAIT_WORDS = frozenset({"等待", "排队", "久等", "干等", "还在等", "一直等", "等位", "等候"})
WAIT_NEXT = frozenset({"了", "着", "的", "得", "过", "位", "座", "号", "候", "到", "很久", "好久"})
WAIT_PREV = frozenset({"在", "要", "得", "还", "一直", "干", "久", "让", "慢慢"})
REQUEST_ONLY = frozenset({"早点", "快点", "尽快", "快一点", "早一点"})
PARTICLE_AFTER_FAST = frozenset(
    {"了", "的", "啊", "呀", "点", "一点", "些", "得", "速", "吧", "就", "多", "多了", "很多"}
)
OTHERS = frozenset({"人", "客人", "顾客", "食客", "业主", "人们"})
CROWD = frozenset({"很多", "好多", "许多", "有", "不少", "都是", "多少"})
# How long a state has lasted (住了很久, 这家店开了很久, 想说很久了) is nobody's service speed.
STATE_VERBS = frozenset(
    {"住", "开", "店开", "想", "长草", "收藏", "关注", "认识", "知道", "听说", "营业", "惦记"}
)
CAUSAL = frozenset({"因为", "是因为", "为了", "由于", "就为了"})
MOMENT = frozenset({"一会", "一会儿", "一下", "一下下", "片刻", "一小会", "一小会儿"})


def names_any(tokens: list[str], start: int, end: int, words: frozenset[str]) -> bool:
    """Tell whether the clause names service work or a person outside the cue itself."""
    if start >= end:
        return not words.isdisjoint(tokens)
    return any(tokens[k] in words for k in range(len(tokens)) if not start <= k < end)


def _waiting(tokens: list[str], i: int, end: int) -> bool:
    """Tell whether the cue is a wait verb in use (等了, 在等, 排队), not 等 meaning "etc."."""
    word = "".join(tokens[i:end])
    if word != "等":
        return word in WAIT_WORDS
    nxt = tokens[end] if end < len(tokens) else ""
    prev = tokens[i - 1] if i > 0 else ""
    return nxt in WAIT_NEXT or prev in WAIT_PREV


def _not_service_speed(tokens: list[str], i: int, end: int, word: str, wish: bool) -> bool:
    """Tell whether a speed word is not about the service's speed or wait.

    早点/快点/尽快 only rate as a request (早点铺子, 要早点去 are not); 快吃完了 and
    都快听不见了 mean "almost"; 等待的客人 and 很多人在排队 describe other people waiting.
    """
    if word in REQUEST_ONLY:
        return not wish
    if "久" in word and any(tok in STATE_VERBS for tok in tokens[max(0, i - 3) : i]):
        return True
    if word.startswith("才") and any(tok in CAUSAL for tok in tokens[:i]):
        return True  # 因为朋友生日才来: 才 gives the reason, not a late arrival
    nxt = tokens[end] if end < len(tokens) else ""
    if word == "快" and nxt and nxt not in PARTICLE_AFTER_FAST and "了" in tokens[end : end + 3]:
        return True
    if word in WAIT_WORDS or word == "等":
        after = [t for t in tokens[end : end + 2] if t != "了"]
        if after and after[0] in MOMENT:
            return True  # 等了一会儿, 等一下: a moment's wait rates no speed
        if nxt == "的" and end + 1 < len(tokens) and tokens[end + 1] in OTHERS:
            return True
        before = tokens[max(0, i - 4) : i]
        return any(tok in OTHERS for tok in before) and any(tok in CROWD for tok in before)
    return False


IN_CHARGE_ENDS = frozenset({"了", "啊", "呀", "哦", "啦", "任", "任的", "到底"})


def in_charge(tokens: list[str], i: int, end: int, word: str, lex: Lexicon) -> bool:
    """Tell whether 负责 means "in charge of" (负责我们楼的管家, 只负责登记), not praise."""
    if word != "负责" or end >= len(tokens):
        return False
    nxt = tokens[end]
    if nxt == "的":
        # 很负责的管家 praises; 负责的管家 is "the steward in charge".
        return not (i > 0 and tokens[i - 1] in lex.degree)
    return nxt not in IN_CHARGE_ENDS and not all(ch in PUNCT for ch in nxt)


def about_service(
    tokens: list[str],
    i: int,
    end: int,
    word: str,
    aspect: str | None,
    lex: Lexicon,
    short: bool,
    near: tuple[bool, bool],
    wish: bool,
) -> bool:
    """Tell whether a timeliness or attitude cue is about the service (other cues: yes)."""
    if aspect == "timeliness":
        anchored = (
            near[0]
            or short
            or (len(word) > 1 and word in lex.anchors)
            or names_any(tokens, i, end, lex.anchors)
            or _waiting(tokens, i, end)
        )
        return anchored and not _not_service_speed(tokens, i, end, word, wish)
    if aspect == "attitude":
        if in_charge(tokens, i, end, word, lex):
            return False
        return near[1] or short or word in lex.people or names_any(tokens, 0, 0, lex.people)
    return True
