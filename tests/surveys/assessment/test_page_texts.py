"""Report texts kept for page turns: fresh ones read back, stale ones never, and cleared."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from surveys.assessment.page_texts import fresh_text, keep_text
from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from surveys.models import PageText

FRESH = timedelta(minutes=5)


async def test_a_kept_text_is_read_back_while_fresh_and_replaced_by_a_newer_one(
        db: SessionFactory, clock: FrozenClock) -> None:
    await keep_text(db=db, key="a", text="第一版", fresh_for=FRESH)
    clock.advance(FRESH)
    assert await fresh_text(db=db, key="a", fresh_for=FRESH) == "第一版"
    await keep_text(db=db, key="a", text="第二版", fresh_for=FRESH)
    assert await fresh_text(db=db, key="a", fresh_for=FRESH) == "第二版"
    assert await fresh_text(db=db, key="b", fresh_for=FRESH) is None


async def test_a_stale_text_is_never_shown_and_is_deleted_by_the_next_one_kept(
        db: SessionFactory, clock: FrozenClock) -> None:
    await keep_text(db=db, key="old", text="旧报表", fresh_for=FRESH)
    clock.advance(FRESH + timedelta(seconds=1))
    assert await fresh_text(db=db, key="old", fresh_for=FRESH) is None
    await keep_text(db=db, key="new", text="新报表", fresh_for=FRESH)
    async with db() as s:
        assert [row.key for row in (await s.exec(select(PageText))).all()] == ["new"]
