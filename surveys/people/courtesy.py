"""A community's courtesy settings: its time zone and quiet hours, read and changed."""

from __future__ import annotations

import logging

from sqlmodel import select

from surveys.core.courtesy import (
    CourtesyConfig,
    QuietHours,
    check_timezone,
    check_window,
    quiet_hours_for,
)
from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, InvalidInput
from surveys.models import Community

log = logging.getLogger(__name__)


def community_quiet_hours(community: Community, courtesy: CourtesyConfig | None
                          ) -> QuietHours | None:
    """Return the quiet hours a community's owners get (None: none, or rules off)."""
    if courtesy is None:
        return None
    return quiet_hours_for(window=community.quiet_hours, timezone=community.timezone,
                           default_window=courtesy.quiet_hours)


async def set_courtesy(*, db: SessionFactory, code: str, timezone: str | None = None,
                       quiet_hours: str | None = None, company_default: bool = False
                       ) -> Community:
    """Change a community's time zone and/or quiet hours; BadQuietHours when they are bad.

    `quiet_hours` "off" sends at any hour; `company_default` returns it to
    `courtesy.quiet_hours`. Everything is checked before anything is written.
    """
    zone = check_timezone(timezone) if timezone is not None else None
    window = check_window(quiet_hours) if quiet_hours is not None else None
    async with db() as s, s.begin():
        community = (await s.exec(select(Community).where(Community.code == code))).first()
        if community is None:
            raise InvalidInput(f"unknown community {code!r}", code=ErrorCode.UNKNOWN_COMMUNITY,
                               community=code)
        if zone is not None:
            community.timezone = zone
        if company_default:
            community.quiet_hours = None
        elif window is not None:
            community.quiet_hours = window
        s.add(community)
        log.info("community %s: time zone %s, quiet hours %s", code, community.timezone,
                 "company default" if community.quiet_hours is None else
                 community.quiet_hours or "off")
        return community
