"""Regular expressions for waiting times and quick responses (等了三天, 十分钟就到)."""

from __future__ import annotations

import re

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
WAIT_PATTERNS += (re.compile(r"等了?\s*(?:很久|好久|半天|很长时间|那么久|这么久|太久)"),)
QUICK_PATTERNS = (
    re.compile(r"(?:当天|当晚|第二天|一早|马上|立马|立刻)\s*就"),
    re.compile(rf"{_NUM}\s*{_LONG}\s*内\s*就"),
    re.compile(rf"{_NUM}\s*分钟?\s*(?:就|内|之内)"),
    re.compile(r"半\s*(?:个)?\s*(?:小时|钟头)\s*(?:就|内|之内)"),
    re.compile(r"不到\s*[一两半]\s*(?:个)?\s*(?:小时|钟头)"),
)


def timeliness_matches(text: str) -> list[tuple[str, float]]:
    """Return (matched words, signed weight) for every wait or quick-response pattern."""
    found = [(m.group(0).strip(), -1.2) for p in WAIT_PATTERNS for m in p.finditer(text)]
    found += [(m.group(0).strip(), 1.2) for p in QUICK_PATTERNS for m in p.finditer(text)]
    return found
