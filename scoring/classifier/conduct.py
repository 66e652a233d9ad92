"""Staff conduct that owners blame as attitude: buck-passing and calls nobody answers.

LABELING.md: "buck-passing and perfunctory forwarding → attitude `neg`; unanswered calls or
messages → attitude and timeliness `neg`". Owners tell these as stories (客服说找保安，保安说找
客服; 打了三遍电话没人接) rather than with a manner word, so no lexicon cue fires; these
patterns read the behaviour itself.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_WHO = r"(?:我们|他们|咱们|物业|这边|我|你|你们|他|她)"
_NOBODY = r"(?:没人|没有人|无人|没一个人|一个人都没|没一个)"
_CHANNEL = r"(?:电话|消息|信息|微信|短信|留言|私信)"
# Nobody answers: attitude and timeliness (打不通, 没人接, 消息不回, 已读不回).
UNANSWERED = re.compile(
    rf"{_NOBODY}(?:接听|接|回复|回应|回|理会|理|应答|应|搭理)(?![来去家到头])"
    rf"|(?:不|没)(?:接|回){_CHANNEL}"
    rf"|{_CHANNEL}[^，。！？,.!?]{{0,4}}?(?:不接|不回|没接|没回)(?![来去家到头])"
    r"|(?:没|不)(?:回复|回应)|已读不回|打不通|占线|联系不上|找不到人"
    r"|(?:遍|次|回|通)[^，。！？,.!?]{0,3}才有人(?:接|回|理|应)"
    r"|(?:从来|从不|一直|也|都|就是|根本|压根)不回(?![来去家到头])"
)
# Passing the problem on: attitude (踢皮球, 不归我们管, 让我自己想办法, 说找A，A说找B).
BUCK_PASSING = re.compile(
    r"皮球|踢来踢去|推来推去|推三阻四|甩锅|互相推|推给|推脱|推卸"
    rf"|不归{_WHO}?(?:管|负责)"
    rf"|不(?:是|属于){_WHO}(?:的|这边的)?(?:事|责任|范围|管辖)"
    rf"|不关{_WHO}(?:的)?事|跟{_WHO}没(?:有)?关系"
    r"|让(?:我|业主|我们)(?:自己)(?:想办法|去|找|联系|打|解决|处理|搞|弄|修|问)"
    r"|让(?:我|业主|我们)去(?:找|问)"
    r"|(?:说|让我)(?:去)?找[^，。,.]{1,6}[，,][^。.]{0,12}(?:说|让我)(?:去)?找"
    r"|(?:两|俩)头跑"
    r"|挂(?:了)?(?:我)?(?:的)?电话|电话(?:被)?挂(?:了|断)|直接挂"
)
_ANY = re.compile(f"(?:{UNANSWERED.pattern})|(?:{BUCK_PASSING.pattern})")
# Every pattern above holds one of these characters: one set test skips most comments.
_GATE = frozenset("接回理应搭通线联找读球踢推甩归事责范辖关让跑挂")
# 从不推脱, 没有踢皮球: a denied buck-passing is no blame.
_DENIED = re.compile(r"(?:不|没|没有|从不|从没|并没有|不会)\s*$")
# 快递没人接: a delivery nobody at home took is the owner's, not the staff's.
_PARCEL = re.compile(r"(?:快递|包裹|外卖|件)[^，。！？,.!?]{0,3}$")


def conduct_matches(text: str) -> list[tuple[str, bool, int]]:
    """Return (matched words, whether nobody answered, offset) for each blamed conduct.

    Nobody answering rates attitude and timeliness; passing the problem on rates attitude.
    """
    if _GATE.isdisjoint(text) or not _ANY.search(text):
        return []
    found = [
        (m.group(0), True, m.start())
        for m in UNANSWERED.finditer(text)
        if not _PARCEL.search(text[max(0, m.start() - 6) : m.start()])
    ]
    for m in BUCK_PASSING.finditer(text):
        if not _DENIED.search(text[max(0, m.start() - 3) : m.start()]):
            found.append((m.group(0), False, m.start()))
    return found


def conduct_in_clauses(text: str, starts: list[int]) -> list[tuple[str, bool, int]]:
    """Return (words, whether nobody answered, clause index) of each blamed conduct.

    The text is matched whole (客服说找保安，保安说找客服 spans two clauses); a match belongs to
    the clause it starts in (`starts`: each clause's first offset, rules.clauses_at).
    """
    last = max(0, len(starts) - 1)
    return [(word, unanswered, max(0, min(last, bisect_right(starts, at) - 1)))
            for word, unanswered, at in conduct_matches(text)]
