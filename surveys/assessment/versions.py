"""Versioned points weights: a change of the configured weights applies from the next period.

The configured `PointsConfig` is registered when it differs from the latest stored version;
the new version takes effect at the start of the first 考核 period that begins after it was
registered, so the period under way keeps the weights it started with. The first version
ever stored applies to every period.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from scoring.periods import Period, local_today, month_period, quarter_period
from scoring.points.config import PointsConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import NotFound
from surveys.models import PointsConfigVersion

FIRST = datetime(1900, 1, 1)


@dataclass(frozen=True)
class ConfigVersion:
    """A stored version of the weights and the first period it applies to."""

    id: int
    digest: str
    config: PointsConfig
    effective_from: datetime
    effective_label: str  # "" for the first version (every period)
    created_at: datetime


def canonical(config: PointsConfig) -> dict[str, Any]:
    """Return the config as plain JSON data (aliases, so it validates back)."""
    data: dict[str, Any] = config.model_dump(mode="json", by_alias=True)
    return data


def digest(config: PointsConfig) -> str:
    """Return the sha256 of the canonical JSON of a config."""
    text = json.dumps(canonical(config), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def cycle_period(day_of: datetime, config: PointsConfig, timezone: str) -> Period:
    """Return the 考核 period (month or quarter) containing a naive-UTC instant."""
    day = local_today(day_of, timezone)
    if config.cycle.period == "quarter":
        return quarter_period(day, timezone)
    return month_period(day, timezone)


def _version(row: PointsConfigVersion) -> ConfigVersion:
    assert row.id is not None
    return ConfigVersion(
        id=row.id, digest=row.digest, config=PointsConfig.model_validate(row.config),
        effective_from=row.effective_from, effective_label=row.effective_label,
        created_at=row.created_at,
    )


async def _latest(session: AsyncSession) -> PointsConfigVersion | None:
    stmt = select(PointsConfigVersion).order_by(
        col(PointsConfigVersion.effective_from).desc(), col(PointsConfigVersion.id).desc())
    return (await session.exec(stmt.limit(1))).first()


async def register(*, db: SessionFactory, current: PointsConfig, now: datetime,
                   timezone: str) -> ConfigVersion:
    """Store the configured weights when they changed; return the latest version."""
    wanted = digest(current)
    async with db() as session:
        latest = await _latest(session)
    if latest is not None and latest.digest == wanted:
        return _version(latest)
    if latest is None:
        start, label = FIRST, ""
    else:
        upcoming = cycle_period(now, current, timezone).next()
        start, label = upcoming.start, upcoming.label
    try:
        async with db() as session, session.begin():
            session.add(PointsConfigVersion(digest=wanted, config=canonical(current),
                                            effective_from=start, effective_label=label,
                                            created_at=now))
    except IntegrityError:
        pass  # another process registered the same version at the same moment
    async with db() as session:
        stored = await _latest(session)
    assert stored is not None
    return _version(stored)


async def for_period(*, db: SessionFactory, period: Period, current: PointsConfig,
                     now: datetime, timezone: str) -> ConfigVersion:
    """Return the version of the weights in force for a period (registering the current)."""
    await register(db=db, current=current, now=now, timezone=timezone)
    async with db() as session:
        stmt = (select(PointsConfigVersion)
                .where(col(PointsConfigVersion.effective_from) <= period.start)
                .order_by(col(PointsConfigVersion.effective_from).desc(),
                          col(PointsConfigVersion.id).desc()).limit(1))
        row = (await session.exec(stmt)).first()
        if row is None:  # a period before the first version's start cannot happen: FIRST
            row = await _latest(session)
    assert row is not None
    return _version(row)


async def by_id(*, db: SessionFactory, version_id: int) -> ConfigVersion:
    """Return one stored version."""
    async with db() as session:
        row = await session.get(PointsConfigVersion, version_id)
    if row is None:
        raise NotFound(f"points config version {version_id}")
    return _version(row)


async def list_versions(*, db: SessionFactory) -> list[ConfigVersion]:
    """Return every stored version, oldest first."""
    async with db() as session:
        rows = (await session.exec(select(PointsConfigVersion).order_by(
            col(PointsConfigVersion.effective_from), col(PointsConfigVersion.id)))).all()
    return [_version(r) for r in rows]
