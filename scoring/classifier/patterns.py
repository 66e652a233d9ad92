"""Regular expressions for waiting times and quick responses (等了三天, 十分钟就到)."""

from __future__ import annotations

import re

_NUM = r"[0-9一二两三四五六七八九十百几半多]+"
_LONG = r"(?:个)?\s*多?\s*(?:小时|钟头|天|日|周|星期|礼拜|月|年)"
# Twenty minutes or more: 等了四十分钟, 排了30多分钟.
_MANY_MINUTES = (
    r"(?:[2-9][0-9]|[0-9]{3,}|[二三四五六七八九]十[一二三四五六七八九]?|几十)\s*多?\s*分钟"
)
_WAIT_VERB = r"(?:等了?|排了|拖了|耗了|过去了?)\s*(?:整整|快|差不多|将近|近|足足|有)?\s*"
WAIT_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"{_WAIT_VERB}(?:{_NUM}\s*{_LONG}|{_MANY_MINUTES})"),
    re.compile(rf"{_NUM}\s*{_LONG}\s*(?:了)?\s*(?:才|都没|还没|还在|也没|没人)"),
    re.compile(rf"{_NUM}\s*(?:个)?\s*多?\s*(?:小时|钟头|天|周|星期|礼拜|月)\s*了"),
    re.compile(rf"(?:花了|用了)\s*{_NUM}\s*{_LONG}"),
    re.compile(r"等了?\s*(?:很久|好久|半天|很长时间|那么久|这么久|太久)"),
    re.compile(r"(?:很久|好久|半天)\s*才"),
)
QUICK_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"(?:当天|当晚|第二天|一早|马上|立马|立刻)\s*就"),
    re.compile(rf"{_NUM}\s*{_LONG}\s*内\s*就"),
    re.compile(rf"{_NUM}\s*分钟?\s*(?:就|内|之内)"),
    re.compile(r"半\s*(?:个)?\s*(?:小时|钟头)\s*(?:就|内|之内)"),
    re.compile(r"不到\s*[一两半]\s*(?:个)?\s*(?:小时|钟头)"),
    # A wait that did not happen or was short: 不用排队, 无需等位, 等的时间不长, 没等多久.
    re.compile(
        r"(?:不用|无需|不需要|不必|没有|免|无)\s*(?:排队|等位|等座|等候|等待|久等|等太久|等很久)"
    ),
    re.compile(r"等(?:的时间|了)\s*(?:不长|不久|不算长|不算久)|没等多久"),
)
# Any of them anywhere: one search rules out the ~98 % of clauses that name no time at all.
_ANY = re.compile("|".join(f"(?:{p.pattern})" for p in (*WAIT_PATTERNS, *QUICK_PATTERNS)))
# 不用等太久, 没等多久: a wait that is denied is a (weak) compliment.
_WAITED = re.compile(r"(?:等|排|拖了|耗了)")
_DENIED = re.compile(r"(?:不用|不必|无需|没有|没|不)\s*$")
# A trip's length is not a service's speed: 走几分钟就到, 开车半小时就到, 车程一个小时.
_TRAVEL = re.compile(
    r"(?:走|步行|开车|驾车|骑车|坐车|打车|坐地铁|坐公交|车程|路程|路上)\s*(?:了|过去|过来)?\s*$"
)


def timeliness_matches(text: str) -> list[tuple[str, float, bool]]:
    """Return (matched words, signed weight, names a wait) for every timing pattern.

    A quick trip (走几分钟就到) comes back with weight 0: it names a time but rates no speed.

    Only a match that says someone waited (等了三天, 排了四十分钟) is about service on its
    own; 三天才, 当天就 or 十分钟就 need a service word nearby (十分钟就走到了 is not).
    """
    found: list[tuple[str, float, bool]] = []
    if not _ANY.search(text):
        return found
    for pattern in WAIT_PATTERNS:
        for m in pattern.finditer(text):
            if _TRAVEL.search(text[max(0, m.start() - 4) : m.start()]):
                continue
            denied = _DENIED.search(text[max(0, m.start() - 2) : m.start()])
            word = m.group(0).strip()
            found.append((word, 0.6 if denied else -1.2, bool(_WAITED.match(word))))
    for pattern in QUICK_PATTERNS:
        for m in pattern.finditer(text):
            if _TRAVEL.search(text[max(0, m.start() - 4) : m.start()]):
                found.append((m.group(0).strip(), 0.0, False))  # a trip, said: no speed
                continue
            word = m.group(0).strip()
            found.append((word, 1.2, "等" in word or "排队" in word))
    return found


_LASTED = re.compile(rf"^了?\s*(?:整整|快|将近|差不多|足足|已经)?\s*{_NUM}\s*{_LONG}")


def lasted_for(text: str) -> str:
    """Return the duration that starts `text` (了半个月, 一个礼拜), or ""."""
    m = _LASTED.match(text)
    return m.group(0) if m else ""


# Still not done after all this time: 到现在还没修, 一直没处理, 至今没有结果.
_STILL_UNDONE = re.compile(
    r"(?:到现在|至今|一直|仍然|依然|迟迟)(?:都|也|还)?(?:没|没有|未)(?:人)?"
    r"(?:修|处理|解决|清|弄|换|管|补|结果|下文|动静|改)"
)


def still_undone(text: str) -> str:
    """Return the words saying a problem is still not dealt with (到现在还没修), or ""."""
    if "没" not in text and "未" not in text:
        return ""  # most clauses: one substring test instead of a search
    m = _STILL_UNDONE.search(text)
    return m.group(0) if m else ""
