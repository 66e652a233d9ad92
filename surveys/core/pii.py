"""Personal data helpers: phone normalisation and masking for logs and reports."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-().\u3000\uff0d\uff08\uff09]")
# Mainland mobile (11 digits) or landline with area code (0 + 9-11 digits).
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{9,11})$")
# Full-width forms (what a Chinese keyboard types in full-width mode) read as ASCII for masking.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９＋－（）", "0123456789+-()")
_D = "[0-9\uff10-\uff19]"  # a digit, ASCII or full-width
_S = "[\\s.\\-\uff0d]"  # a separator people put between the groups
# The same inside a text: a mobile, optionally +86 / 86 prefixed, or a landline with its area
# code (010-12345678, (0755) 8600 1234), split by spaces, dashes or dots, in ASCII or
# full-width digits; digits around must not continue.
# A JSON escape (\u5f00 for 开) is one character, not digits: a number right after one is
# still a number, and a number never starts inside one (\u00a0 ends with a 0).
_IN_TEXT = re.compile(
    r"(?:(?<!\d)|(?<=\\u[0-9a-fA-F]{4}))"
    r"(?<!\\u)(?<!\\u[0-9a-fA-F])(?<!\\u[0-9a-fA-F]{2})(?<!\\u[0-9a-fA-F]{3})"
    rf"(?:(?:[+\uff0b]?(?:86|\uff18\uff16){_S}?)?[1\uff11][3-9\uff13-\uff19]{_D}{_S}?{_D}{{4}}"
    rf"{_S}?{_D}{{4}}"
    rf"|[(\uff08]?[0\uff10][1-9\uff11-\uff19]{_D}{{1,2}}[)\uff09]?{_S}?{_D}{{3,4}}{_S}?"
    rf"{_D}{{4}})(?!\d)"
)


# Digits as owners also write them: one by one with spaces, grouped oddly (1381-234-5678), or
# spelled in Chinese numerals (一三八…, 幺 for 1, 零/〇 for 0, the capital forms of receipts).
_NUMERALS = "〇零一幺壹二两贰三叁四肆五伍六陆七柒八捌九玖"
_SPELLED = str.maketrans(_NUMERALS, "00111222334455667788" "99")
_ANY_D = f"[0-9\uff10-\uff19{_NUMERALS}]"
_RUN_SEP = "[ \t\u00a0\u3000.\\-\uff0d\u00b7\u2014]"
# A whole run of such digits (at most two separators between two of them), read as one number:
# a phone only when the run is exactly one, so dates, ids and counting stay as they are. A run
# never starts inside a JSON escape (\u4e00), as above.
_RUN = re.compile(
    r"(?<!\\u)(?<!\\u[0-9a-fA-F])(?<!\\u[0-9a-fA-F]{2})(?<!\\u[0-9a-fA-F]{3})"
    rf"[+\uff0b]?{_ANY_D}(?:{_RUN_SEP}{{0,2}}{_ANY_D}){{10,}}"
)
_RUN_PHONE = re.compile(r"(?:\+?86|0086)?(1[3-9]\d{9})|(0[1-9]\d{8,10})")
# A number written with its country code (+852 9123 4567, 00852 …, +86 10 6234 5678) is a
# phone whatever the country: owners near Hong Kong and Macau, relatives abroad. 8 to 15
# digits after the + or 00, as E.164 numbers have; a signed amount (+120元) is too short.
_INTERNATIONAL = re.compile(
    r"(?<![0-9A-Za-z+\uff0b\uff10-\uff19])(?:[+\uff0b]|[0\uff10]{2})"
    rf"[1-9\uff11-\uff19](?:{_S}?{_D}){{7,14}}(?!{_D})"
)


def normalise_phone(raw: str) -> str:
    """Strip separators and the +86 / 0086 / 86 country prefix; return digits only."""
    phone = _SEPARATORS.sub("", raw or "")
    if phone.startswith("+"):
        phone = phone[1:]
        if phone.startswith("86"):
            phone = phone[2:]
    elif phone.startswith("0086"):
        phone = phone[4:]
    elif phone.startswith("86") and len(phone) == 13:
        phone = phone[2:]
    return phone


def is_valid_phone(phone: str) -> bool:
    """Tell whether a normalised phone number looks like a Chinese mobile or landline."""
    return bool(_PHONE.match(phone))


def mask_phone(phone: str | None) -> str:
    """Mask the middle of a phone number: "13812345678" -> "138****5678"."""
    if not phone:
        return "-"
    digits = normalise_phone(phone.translate(_FULL_WIDTH)) or phone
    if len(digits) <= 4:
        return "*" * len(digits)
    if len(digits) <= 7:
        return digits[:1] + "*" * (len(digits) - 3) + digits[-2:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_phones(text: str) -> str:
    """Mask every phone number (mobile or landline) inside a free text."""
    text = _RUN.sub(_mask_run, _IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text))
    return _INTERNATIONAL.sub(_mask_international, text)


def _mask_run(match: re.Match[str]) -> str:
    """Mask a run of digits that reads as exactly one phone number; leave any other run."""
    digits = re.sub(r"[^0-9+]", "", match.group(0).translate(_FULL_WIDTH).translate(_SPELLED))
    phone = _RUN_PHONE.fullmatch(digits)
    return mask_phone(phone.group(1) or phone.group(2)) if phone else match.group(0)


def _mask_international(match: re.Match[str]) -> str:
    """Mask a number written with its country code: "+852 9123 4567" -> "852****4567"."""
    digits = re.sub(r"[^0-9]", "", match.group(0).translate(_FULL_WIDTH))
    return mask_phone("+" + digits.removeprefix("00"))


# A survey link's token in a path (/s/<44 chars>, surveys.survey.links) is a bearer secret.
_LINK_TOKEN = re.compile(r"(/s/[A-Za-z0-9_-]{4})[A-Za-z0-9_-]+")


def mask_link_tokens(text: str) -> str:
    """Cut survey link tokens in a text to their first 4 characters: /s/AbCd…"""
    return _LINK_TOKEN.sub(r"\1…", text)


# A bot token (<bot id>:<secret>) runs the bot. HTTP clients put it in their errors' text as
# part of the request URL (`/bot<token>/<method>`); aiogram logs such errors as they are.
_URL_BOT_TOKEN = re.compile(r"(/bot\d+):[^/\s'\"<>]+")
_BARE_BOT_TOKEN = re.compile(r"(?<![\w:])(\d{5,12}):[A-Za-z0-9_-]{30,}(?![\w-])")


def mask_secrets(text: str) -> str:
    """Mask what must never be stored or logged: bot tokens and survey link tokens."""
    text = _URL_BOT_TOKEN.sub(r"\1:***", text)
    return mask_link_tokens(_BARE_BOT_TOKEN.sub(r"\1:***", text))
