"""Compact, HMAC-signed callback data for inline buttons (Telegram allows 64 bytes).

Layout: `<kind>:<field>:...:<sig>`; the signature covers everything before it, so a
client cannot point a button at another survey, question or rating.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

SIG_CHARS = 10  # 60 bits of HMAC-SHA256: far beyond guessing within Telegram's rate limits
MAX_BYTES = 64

QUESTION_CODES = {"overall": "o", "attitude": "a", "clarity": "c", "timeliness": "t"}
CODE_QUESTIONS = {code: question for question, code in QUESTION_CODES.items()}

RATE = "r"  # r:<survey>:<question>:<rating>
ASK = "e"  # e:<survey>:<question>  (show a question again to change its answer)
SKIP = "k"  # k:<survey>           (submit without a comment)
LANGUAGE = "l"  # l:<locale>


@dataclass(frozen=True)
class Callback:
    """A verified callback: its kind and its fields after the kind."""

    kind: str
    survey_id: int | None = None
    question: str | None = None
    rating: int | None = None
    value: str | None = None


def derive_secret(secret: str, fallback: str) -> bytes:
    """Return the signing key: the configured secret, else one derived from `fallback`."""
    material = secret or ("ownervoice-callbacks:" + fallback)
    return hashlib.sha256(material.encode()).digest()


def _sign(key: bytes, body: str) -> str:
    digest = hmac.new(key, body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:SIG_CHARS]


def _pack(key: bytes, *fields: object) -> str:
    body = ":".join(str(f) for f in fields)
    data = f"{body}:{_sign(key, body)}"
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def rate(key: bytes, survey_id: int, question: str, rating: int) -> str:
    """Encode a star tap."""
    return _pack(key, RATE, survey_id, QUESTION_CODES[question], rating)


def ask(key: bytes, survey_id: int, question: str) -> str:
    """Encode 'show this question again'."""
    return _pack(key, ASK, survey_id, QUESTION_CODES[question])


def skip(key: bytes, survey_id: int) -> str:
    """Encode 'submit without a comment'."""
    return _pack(key, SKIP, survey_id)


def language(key: bytes, locale: str) -> str:
    """Encode a language choice."""
    return _pack(key, LANGUAGE, locale)


def verify(key: bytes, data: str | None) -> Callback | None:
    """Return the parsed callback when its signature and shape are valid, else None."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    body, _, sig = data.rpartition(":")
    # Bytes: a client may send any characters, and hmac compares no non-ASCII string.
    if not body or not hmac.compare_digest(_sign(key, body).encode(), sig.encode()):
        return None
    kind, *fields = body.split(":")
    try:
        if kind == RATE and len(fields) == 3:
            rating = int(fields[2])
            question = CODE_QUESTIONS[fields[1]]
            if not 1 <= rating <= 5:
                return None
            return Callback(kind, survey_id=int(fields[0]), question=question, rating=rating)
        if kind == ASK and len(fields) == 2:
            return Callback(kind, survey_id=int(fields[0]), question=CODE_QUESTIONS[fields[1]])
        if kind == SKIP and len(fields) == 1:
            return Callback(kind, survey_id=int(fields[0]))
        if kind == LANGUAGE and len(fields) == 1:
            return Callback(kind, value=fields[0])
    except (KeyError, ValueError):
        return None
    return None
