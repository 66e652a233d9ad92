"""The homes (owner rows) one Telegram account holds, and how a message names one.

An owner with two flats, or the same phone in two communities, has one owner row per home
and binds them all to one account. Messages about an order name its home only when the
account holds more than one: with a single home the name would only add noise.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.core.db import SessionFactory
from surveys.models import Community, Complaint, Owner, WorkOrder


@dataclass(frozen=True)
class Home:
    """One home of an account: its owner row and the words that identify it."""

    owner_id: int
    label: str  # "阳光花园 1-101": the community, then building-room as the intake sent them


def home_label(owner: Owner, community: Community | None) -> str:
    """Name a home by its community and building-room (whatever the owner row has)."""
    place = "-".join(part for part in (owner.building, owner.room) if part)
    name = community.name if community is not None else ""
    return " ".join(part for part in (name, place) if part) or owner.name


async def first_home(s: AsyncSession, telegram_user_id: int, *,
                     besides: int | None = None) -> Owner | None:
    """Return the account's first owner row (lowest id), `besides` one, or None."""
    stmt = select(Owner).where(col(Owner.telegram_user_id) == telegram_user_id)
    if besides is not None:
        stmt = stmt.where(col(Owner.id) != besides)
    return (await s.exec(stmt.order_by(col(Owner.id)))).first()


async def homes_of(s: AsyncSession, telegram_user_id: int) -> list[Home]:
    """Return the account's homes, in the order they were registered."""
    rows = (await s.exec(
        select(Owner, Community)
        .join(Community, col(Community.id) == col(Owner.community_id))
        .where(col(Owner.telegram_user_id) == telegram_user_id)
        .order_by(col(Owner.id))
    )).all()
    return [Home(owner_id=owner.id, label=home_label(owner, community))  # type: ignore[arg-type]
            for owner, community in rows]


async def account_homes(*, db: SessionFactory, telegram_user_id: int) -> list[Home]:
    """Return the homes bound to a Telegram account."""
    async with db() as s:
        return await homes_of(s, telegram_user_id)


async def home_if_several(s: AsyncSession, owner: Owner | None,
                          order: WorkOrder | int | None = None) -> str | None:
    """Name the home an order was for when the owner's account holds several, else None.

    The order's unit (kept as it was at closing) names it, else the owner row's. `order`
    may be the order's id: it is read only for an account with several homes (the sender
    asks for every survey message, and most owners have one home).
    """
    if owner is None or owner.telegram_user_id is None:
        return None
    held = (await s.exec(select(func.count()).select_from(Owner).where(
        col(Owner.telegram_user_id) == owner.telegram_user_id))).one()
    if held < 2:
        return None
    return await name_home(s, owner, order)


async def name_home(s: AsyncSession, owner: Owner, order: WorkOrder | int | None = None) -> str:
    """Name the home an order was for: the order's unit as kept, else the owner row's."""
    community = await s.get(Community, owner.community_id)
    if isinstance(order, int):
        order = await s.get(WorkOrder, order)
    if order is None or not order.room:
        return home_label(owner, community)
    place = "-".join(part for part in (order.building, order.room) if part)
    return " ".join(part for part in (community.name if community else "", place) if part)


async def owns_row(s: AsyncSession, owner_id: int | None, telegram_user_id: int) -> bool:
    """Tell whether an owner row is one of the account's homes."""
    if owner_id is None:
        return False
    owner = await s.get(Owner, owner_id)
    return owner is not None and owner.telegram_user_id == telegram_user_id


async def complaint_home(*, db: SessionFactory, complaint_id: int) -> Home | None:
    """Return the home a complaint was filed for, named (None: no such complaint)."""
    async with db() as s:
        complaint = await s.get(Complaint, complaint_id)
        owner = await s.get(Owner, complaint.owner_id) if complaint is not None else None
        if owner is None or owner.id is None:
            return None
        return Home(owner_id=owner.id,
                    label=home_label(owner, await s.get(Community, owner.community_id)))
