"""Communities, agents and owners: the people intake, the CLI, the demo and tests create."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.core import clock
from surveys.core.courtesy import DEFAULT_TIMEZONE, check_timezone
from surveys.core.db import SessionFactory, insert_ignoring_conflicts
from surveys.core.errors import ErrorCode, InvalidInput
from surveys.core.pii import is_valid_phone, normalise_phone
from surveys.core.text import Name, clean_name
from surveys.models import Agent, Community, Owner


class OwnerIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: Name = Field(min_length=1, max_length=200)
    phone: str = Field(min_length=5, max_length=32)
    building: Name | None = Field(None, max_length=32)
    room: Name | None = Field(None, max_length=32)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        phone = normalise_phone(value)
        if not is_valid_phone(phone):
            raise PydanticCustomError(
                "invalid_phone", "phone must be a Chinese mobile (11 digits) or landline number")
        return phone


async def _owner_by_phone(s: AsyncSession, community_id: int, phone: str) -> Owner | None:
    return (
        await s.exec(select(Owner).where(Owner.community_id == community_id,
                                         Owner.phone == phone))
    ).first()


async def find_or_create_owner(s: AsyncSession, community: Community, data: OwnerIn) -> Owner:
    """Return the community's owner with this phone, creating it if there is none.

    Race-free on SQLite and PostgreSQL: the row is inserted with ON CONFLICT DO NOTHING on
    the (community, phone) unique index, then read, so concurrent closes for one new phone
    share one owner row.
    """
    assert community.id is not None
    owner = await _owner_by_phone(s, community.id, data.phone)
    if owner is None:
        await s.exec(insert_ignoring_conflicts(
            s, Owner, ("community_id", "phone"),
            community_id=community.id, name=data.name, phone=data.phone,
            building=data.building, room=data.room, opted_out=False, created_at=clock.now(),
        ))
        owner = await _owner_by_phone(s, community.id, data.phone)  # ours, or the winner's
        assert owner is not None
    # Fill what the owner row lacks; never overwrite what an admin entered.
    owner.building = owner.building or data.building
    owner.room = owner.room or data.room
    return owner


async def add_community(*, db: SessionFactory, code: str, name: str,
                        timezone: str = DEFAULT_TIMEZONE) -> Community:
    """Create a community, or return the one with this code; BadQuietHours for a bad zone."""
    code = clean_name(code, "community code", max_length=64)
    name = clean_name(name, "community name")
    timezone = check_timezone(timezone)
    async with db() as s, s.begin():
        found = (await s.exec(select(Community).where(Community.code == code))).first()
        if found is not None:
            return found
        community = Community(code=code, name=name, timezone=timezone)
        s.add(community)
        await s.flush()
        return community


async def community_by_code(s: AsyncSession, code: str) -> Community:
    """Return the community with this code, or refuse with UNKNOWN_COMMUNITY."""
    community = (await s.exec(select(Community).where(Community.code == code))).first()
    if community is None:
        raise InvalidInput(f"unknown community {code!r}", code=ErrorCode.UNKNOWN_COMMUNITY,
                           community=code)
    return community


async def add_agent(
    *, db: SessionFactory, external_id: str, name: str, community_code: str | None,
    phone: str | None = None,
) -> Agent:
    """Create an agent, or update the name/community/phone of the one with this id."""
    external_id = clean_name(external_id, "agent external id", max_length=64)
    name = clean_name(name, "agent name")
    if phone is not None:
        phone = normalise_phone(phone)
        if not is_valid_phone(phone):
            raise InvalidInput("invalid phone number", code=ErrorCode.INVALID_PHONE)
    async with db() as s, s.begin():
        community_id = (await community_by_code(s, community_code)).id if community_code else None
        agent = (await s.exec(select(Agent).where(Agent.external_id == external_id))).first()
        if agent is None:
            agent = Agent(external_id=external_id, name=name)
        agent.name = name
        agent.community_id = community_id
        agent.phone = phone or agent.phone
        s.add(agent)
        await s.flush()
        return agent


async def add_owner(
    *, db: SessionFactory, community_code: str, name: str, phone: str,
    building: str | None = None, room: str | None = None,
) -> Owner:
    """Create an owner in a community, or return the one with this phone there."""
    try:
        data = OwnerIn(name=name, phone=phone, building=building, room=room)
    except ValidationError as exc:
        # The first problem, coded, so the reader is told which value to fix.
        loc = exc.errors()[0]["loc"]
        what = str(loc[0]) if loc else "name"
        if what == "phone":
            raise InvalidInput(str(exc), code=ErrorCode.INVALID_PHONE) from exc
        raise InvalidInput(str(exc), code=ErrorCode.INVALID_NAME, what=what,
                           max=200 if what == "name" else 32) from exc
    async with db() as s, s.begin():
        community = await community_by_code(s, community_code)
        owner = await find_or_create_owner(s, community, data)
        await s.flush()
        return owner


async def list_people(*, db: SessionFactory, kind: str) -> list[Any]:
    """Return all communities, agents or owners (for the CLI)."""
    table: Any = {"communities": Community, "agents": Agent, "owners": Owner}[kind]
    async with db() as s:
        return list((await s.exec(select(table).order_by(table.id))).all())
