"""Signed callback data of staff buttons: `x<op>:<field>...:<sig>` (≤ 64 bytes).

The leading "x" keeps them apart from the owner survey's callbacks (`bot.callbacks`), so a
runtime can route by prefix; the HMAC stops a client from pointing a button elsewhere.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

PREFIX = "x"
SIG_CHARS = 10
MAX_BYTES = 64
ID_LIMIT = 2**31  # a number field is a row id, a round or an index: 32-bit signed

ACK = "a"  # xa:<complaint>          agent acknowledges
REPLY = "r"  # xr:<complaint>        agent's next text goes to the owner
RESOLVE = "v"  # xv:<complaint>      agent marks resolved
APPEAL = "e"  # xe:<complaint>       agent appeals (reason prompt)
FOLLOW_UP = "f"  # xf:<complaint>:<1|0>:<round>  owner satisfied or not (old: no round)
UPHOLD = "u"  # xu:<appeal>          manager upholds (reason prompt)
VOID = "d"  # xd:<appeal>            manager voids (reason prompt)
PAGE = "p"  # xp:<view>:<arg>:<page>
OWNER_REPLY = "o"  # xo:<complaint>   owner answers the agent
TAGS = "t"  # xt:<complaint>         open the tag editor (agent or manager)
TAG_CHOICE = "g"  # xg:<complaint>:<choice>  show the editor with this choice ("x": cancel)
TAG_SUBMIT = "s"  # xs:<complaint>:<choice>  correct the tags to this choice
CONFIRM = "k"  # xk:<correction>      manager confirms an agent's correction
REJECT = "j"  # xj:<correction>       manager rejects it
CLOSE = "c"  # xc:<period>:<1|0>      manager confirms (or cancels) closing a period
REVIEW = "w"  # xw:<period>:<agent>:<criterion index>:<stars>   review stars
REVISIT = "h"  # xh:<survey>:<stars+channel, e.g. 5400p>:<action>   staff 回访 card
TEMPLATE = "m"  # xm:<complaint>:<template key>   agent sends a reply template
OWNER_TEXT = "n"  # xn:<owner text>:<1|0>   owner registers a text as a complaint, or not
HOME = "y"  # xy:<owner text>:<owner>   owner of several homes names the complaint's home
HOME_PAGE = "z"  # xz:<owner text>:<page>   another page of the homes under "which home?"
OPS = frozenset({TEMPLATE, ACK, REPLY, RESOLVE, APPEAL, FOLLOW_UP, UPHOLD, VOID, PAGE, OWNER_REPLY,
                 OWNER_TEXT, HOME, HOME_PAGE, TAGS, TAG_CHOICE, TAG_SUBMIT, CONFIRM, REJECT, CLOSE,
                 REVIEW, REVISIT})


@dataclass(frozen=True)
class StaffCallback:
    """A verified staff callback: the operation and its fields."""

    op: str
    fields: tuple[str, ...]

    def int_field(self, index: int = 0) -> int:
        """Return a field as an int; ValueError when no database id can be that number."""
        value = int(self.fields[index])
        # Row ids, rounds and indexes: PostgreSQL's ids are 32-bit, and a number SQLite cannot
        # hold would fail the query instead of finding nothing.
        if not -ID_LIMIT <= value < ID_LIMIT:
            raise ValueError(f"field {index} out of range: {value}")
        return value


def _sign(key: bytes, body: str) -> str:
    digest = hmac.new(key, b"staff:" + body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:SIG_CHARS]


def pack(key: bytes, op: str, *fields: object) -> str:
    """Encode and sign a staff callback."""
    body = ":".join([PREFIX + op, *(str(f) for f in fields)])
    data = f"{body}:{_sign(key, body)}"
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def is_staff(data: str | None) -> bool:
    """Tell whether callback data belongs to the staff buttons (by prefix only)."""
    return bool(data) and str(data).startswith(PREFIX)


def verify(key: bytes, data: str | None) -> StaffCallback | None:
    """Return the parsed callback when signature and shape are valid, else None."""
    if not data or len(data.encode()) > MAX_BYTES or not data.startswith(PREFIX):
        return None
    body, _, sig = data.rpartition(":")
    # Bytes: a client may send any characters, and hmac compares no non-ASCII string.
    if not body or not hmac.compare_digest(_sign(key, body).encode(), sig.encode()):
        return None
    head, *fields = body.split(":")
    op = head[len(PREFIX):]
    if op not in OPS:
        return None
    return StaffCallback(op, tuple(fields))
