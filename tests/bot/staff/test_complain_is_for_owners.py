"""/complain from an agent or a manager who holds no home says it is the owners' command; it
told them to share their phone to bind a home. Someone not bound at all is still shown how."""

from __future__ import annotations

import pytest

from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from tests.fixtures.bot_world import AGENT, MANAGER, STRANGER, Talk, build_talk, sent


@pytest.fixture
async def talk(db: SessionFactory, clock: FrozenClock) -> Talk:
    return await build_talk(db)


@pytest.mark.parametrize("user", [AGENT, MANAGER])
@pytest.mark.parametrize("text", ["/complain 电梯坏了", "/complain"])
async def test_complain_from_staff_without_a_home_says_it_is_for_owners(
        talk: Talk, user: int, text: str) -> None:
    assert sent(await talk.send(user, text)) == ["抱歉，/complain 供业主登记投诉使用。"]


async def test_complain_from_someone_not_bound_still_says_how_to_bind(talk: Talk) -> None:
    [said] = sent(await talk.send(STRANGER, "/complain 电梯坏了"))
    assert "/start" in said
