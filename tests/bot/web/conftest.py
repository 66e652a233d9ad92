"""The survey page served on a loopback port with links on (tests/fixtures/web.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from surveys.core.db import SessionFactory
from tests.fixtures.web import Site, serve_site, web_settings


@pytest.fixture
async def site(db: SessionFactory) -> AsyncIterator[Site]:
    """Yield the running site (intake API + survey page) with default web settings."""
    async for running in serve_site(db, web_settings()):
        yield running
