"""The text of a heavy report view, kept a few minutes for its page turns, on any replica.

A month's /report at a million responses costs seconds of CPU to build; each ◀️ / ▶️ tap used
to build it again. `remember` stores the text the first page was cut from, `recall` gives it
back while it is fresh, so the pages of one message come from one computation (and cost one
read); access is still checked on every tap. The text lives in the database
(`surveys.assessment.page_texts`), not in this process, so a tap that a load balancer hands
to another replica turns the page too. The key holds the person's identity and language, so
another person, a changed role or language never sees it.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from bot.conversation.context import Context
from surveys.assessment.page_texts import fresh_text, keep_text
from surveys.core.db import SessionFactory

CACHED_VIEWS = frozenset({"rep", "ag", "me"})  # complaint lists stay live (their ✏️ buttons)
FRESH_FOR = timedelta(minutes=5)


def page_key(ctx: Context, view: str, arg: str) -> str:
    """Return the stored text's key: the viewer's roles and language, the view, its argument."""
    # repr of the frozen Identity dataclass: the same on every replica of one version.
    return hashlib.sha256(repr((ctx.me, ctx.locale, view, arg)).encode()).hexdigest()


async def remember(db: SessionFactory, ctx: Context, view: str, arg: str, text: str) -> None:
    """Keep the text a view's first page was cut from, when the view is one worth keeping."""
    if view in CACHED_VIEWS:
        await keep_text(db=db, key=page_key(ctx, view, arg), text=text, fresh_for=FRESH_FOR)


async def recall(db: SessionFactory, ctx: Context, view: str, arg: str) -> str | None:
    """Return the view's text kept a moment ago, None to build it again."""
    if view not in CACHED_VIEWS:
        return None
    return await fresh_text(db=db, key=page_key(ctx, view, arg), fresh_for=FRESH_FOR)
