"""The complaint tests' world: two communities, their staff and owners (`complaint_world`)."""

from __future__ import annotations

import pytest

from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from surveys.models import Owner
from tests.fixtures.complaint_world import OWNER_PHONE, OWNER_TG, World, build_world


@pytest.fixture
async def world(db: SessionFactory, clock: FrozenClock) -> World:
    """Build the world with the clock frozen."""
    return await build_world(db)


@pytest.fixture
async def second_home(db: SessionFactory, world: World) -> int:
    """陈女士's second flat, 海韵 5-502, bound to the same account; return its owner id."""
    async with db() as s, s.begin():
        home = Owner(community_id=world.other_community_id, name="陈女士", phone=OWNER_PHONE,
                     building="5", room="502", telegram_user_id=OWNER_TG, chat_id=OWNER_TG)
        s.add(home)
        await s.flush()
        assert home.id is not None
        return home.id
