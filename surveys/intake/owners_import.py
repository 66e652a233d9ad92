"""Bulk onboarding: owners from a CSV file, each with an invite link when asked for.

Columns (header row required, any order, extra columns ignored): community_code, name, phone,
and optionally building, room. Idempotent on community + phone: an owner already there is
counted so (its missing building or room filled in, never overwritten). With an invite
secret, every owner of the file who is not bound to Telegram yet gets a one-time invite
(`surveys.people.binding`), created in the same transaction as the batch.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from pydantic import Field
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.core import clock
from surveys.core.db import SessionFactory, insert_rows
from surveys.intake.importer import BATCH_ROWS, Hooks, ImportReport, cell, import_file
from surveys.intake.refusals import IntakeRefused, UnknownCommunity
from surveys.models import Community, Invite, Owner, Role
from surveys.people.binding import invite_row
from surveys.people.directory import OwnerIn, find_or_create_owner

log = logging.getLogger(__name__)

REQUIRED = ("community_code", "name", "phone")


class OwnerRowIn(OwnerIn):
    """One owner as the company's list gives it."""

    community_code: str = Field(min_length=1, max_length=64)


@dataclass(frozen=True)
class InviteOptions:
    secret: str
    ttl: timedelta


@dataclass(frozen=True)
class OwnerTaken:
    """An owner of the file, new or already there, with its invite token if one was made."""

    owner_id: int
    created: bool
    row: OwnerRowIn
    invite_token: str | None = None


def row_to_owner(cells: dict[str, str]) -> OwnerRowIn:
    """Validate one row as an owner (raises pydantic's ValidationError)."""
    return OwnerRowIn.model_validate({
        "community_code": cell(cells, "community_code") or "", "name": cell(cells, "name") or "",
        "phone": cell(cells, "phone") or "", "building": cell(cells, "building"),
        "room": cell(cells, "room")})


async def add_owners(*, db: SessionFactory, rows: Sequence[OwnerRowIn],
                     invites: InviteOptions | None = None) -> list[OwnerTaken | IntakeRefused]:
    """Add the owners in one transaction (one by one if another writer races); return each."""
    try:
        async with db() as s, s.begin():
            return await _add_all(s, rows, invites)
    except IntegrityError:
        log.info("batch of %s owners met a concurrent writer: adding them one by one", len(rows))
    outcomes: list[OwnerTaken | IntakeRefused] = []
    for row in rows:
        async with db() as s, s.begin():
            outcomes.append((await _add_all(s, [row], invites, one_by_one=True))[0])
    return outcomes


async def _add_all(s: AsyncSession, rows: Sequence[OwnerRowIn], invites: InviteOptions | None,
                   *, one_by_one: bool = False) -> list[OwnerTaken | IntakeRefused]:
    communities = {c.code: c for c in (await s.exec(select(Community).where(
        col(Community.code).in_({r.community_code for r in rows})))).all()}
    found: dict[tuple[int, str], Owner] = {}
    for owner in (await s.exec(select(Owner).where(col(Owner.phone).in_({r.phone for r in rows}))
                               .order_by(col(Owner.id)))).all():
        found.setdefault((owner.community_id, owner.phone or ""), owner)
    new: dict[tuple[int, str], dict[str, object]] = {}
    keys: list[tuple[int, str] | IntakeRefused] = []
    for row in rows:
        community = communities.get(row.community_code)
        if community is None or community.id is None:
            keys.append(UnknownCommunity(row.community_code))
            continue
        key = (community.id, row.phone)
        keys.append(key)
        if one_by_one and key not in found:
            found[key] = await find_or_create_owner(s, community, row)  # race-free insert
        elif key in found:  # fill what the row lacks; never overwrite what an admin entered
            found[key].building = found[key].building or row.building
            found[key].room = found[key].room or row.room
        elif key not in new:
            new[key] = {"community_id": community.id, "name": row.name, "phone": row.phone,
                        "building": row.building, "room": row.room, "opted_out": False,
                        "created_at": clock.now()}
    await s.flush()
    ids = dict(zip(new, await insert_rows(s, Owner, list(new.values())), strict=True))
    return await _taken(s, rows, keys, found, ids, invites)


async def _taken(s: AsyncSession, rows: Sequence[OwnerRowIn],
                 keys: list[tuple[int, str] | IntakeRefused], found: dict[tuple[int, str], Owner],
                 ids: dict[tuple[int, str], int], invites: InviteOptions | None,
                 ) -> list[OwnerTaken | IntakeRefused]:
    outcomes: list[OwnerTaken | IntakeRefused] = []
    invited: dict[int, str] = {}
    invite_rows = []
    seen: set[tuple[int, str]] = set()
    for row, key in zip(rows, keys, strict=True):
        if isinstance(key, IntakeRefused):
            outcomes.append(key)
            continue
        owner = found.get(key)
        owner_id = owner.id if owner is not None else ids[key]
        assert owner_id is not None
        if invites and owner_id not in invited and (owner is None or _invitable(owner)):
            token, values = invite_row(role=Role.OWNER, subject_id=owner_id, ttl=invites.ttl,
                                       secret=invites.secret)
            invited[owner_id] = token
            invite_rows.append(values)
        created = key in ids and key not in seen
        seen.add(key)
        outcomes.append(OwnerTaken(owner_id, created, row, invited.get(owner_id)))
    await insert_rows(s, Invite, invite_rows)
    return outcomes


def _invitable(owner: Owner) -> bool:
    return owner.telegram_user_id is None and not owner.opted_out and owner.forgotten_at is None


async def import_owners_csv(
    *, db: SessionFactory, path: str | Path, invites: InviteOptions | None = None,
    hooks: Hooks | None = None, batch_rows: int = BATCH_ROWS,
) -> ImportReport:
    """Import owners from a CSV file; never stop at a bad row."""

    async def write(rows: Sequence[OwnerRowIn]) -> list[OwnerTaken | IntakeRefused]:
        return await add_owners(db=db, rows=rows, invites=invites)

    return await import_file(
        path, required=REQUIRED, what="owners", parse=row_to_owner,
        key=lambda c: cell(c, "phone") or "", write=write,
        columns=lambda loc: "_".join(str(p) for p in loc) or "phone",
        hooks=hooks or Hooks(), batch_rows=batch_rows)
