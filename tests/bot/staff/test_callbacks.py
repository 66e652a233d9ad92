"""A signed staff button whose number no database id can be is answered as an invalid
button (it was a failure: SQLite cannot hold the number, PostgreSQL's ids are 32-bit)."""

from __future__ import annotations

import pytest

from bot.staff import callbacks as cb
from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from tests.fixtures.bot_world import KEY, OWNER, Talk, build_talk, toasts


@pytest.fixture
async def talk(db: SessionFactory, clock: FrozenClock) -> Talk:
    return await build_talk(db)


@pytest.mark.parametrize(("op", "fields"), [
    (cb.HOME, (10**30, 1)), (cb.HOME, (1, 10**30)), (cb.HOME, (2**31, 1)),
    (cb.HOME, (-(2**31) - 1, 1)), (cb.OWNER_TEXT, (10**30, 1)), (cb.OWNER_TEXT, (2**31, 0)),
])
async def test_a_signed_button_with_a_number_no_id_can_be_is_an_invalid_button(
        talk: Talk, op: str, fields: tuple[int, int]) -> None:
    assert toasts(await talk.tap(OWNER, cb.pack(KEY, op, *fields))) == ["该按钮已失效。"]


def test_numbers_in_the_32_bit_range_are_read_as_they_are() -> None:
    parsed = cb.verify(KEY, cb.pack(KEY, cb.HOME, 2**31 - 1, 0))
    assert parsed is not None and (parsed.int_field(), parsed.int_field(1)) == (2**31 - 1, 0)
