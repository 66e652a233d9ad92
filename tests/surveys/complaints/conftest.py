"""The complaint tests' world: two communities, their staff and owners (`complaint_world`)."""

from __future__ import annotations

import pytest

from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from tests.fixtures.complaint_world import World, build_world


@pytest.fixture
async def world(db: SessionFactory, clock: FrozenClock) -> World:
    """Build the world with the clock frozen."""
    return await build_world(db)
