"""Open the configured database for a one-shot CLI command."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")


async def with_db(url: str | None, action: Callable[[Any, Any], Awaitable[T]]) -> T:
    """Run `action(db, settings)` against the configured (migrated) database."""
    from bot.config import load_settings
    from surveys.core.db import create_engine, create_schema, session_factory

    settings = load_settings()
    engine = create_engine(url or settings.database.url)
    try:
        await create_schema(engine)
        return await action(session_factory(engine), settings)
    finally:
        await engine.dispose()
