"""Which Telegram account hears about a complaint, and may answer for it: the one that filed it.

An invite may move a home (owner row) to another account while a complaint about it is in
hand. The complaint's owner-facing messages (the agent's words, "satisfied?") then go to the
account that filed it, through a home it still holds with the same phone (the same person
with another flat); never to the account the home moved to. A filer holding no such home
cannot be reached through the bot: the agent is asked to call (docs/complaints.md).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.models import Complaint, Owner


def filed_before_move(complaint: Complaint, owner: Owner) -> bool:
    """Tell whether a complaint was filed before its home moved to the account holding it now.

    Such a complaint is the earlier account's: the account holding the home now is neither
    told of it nor may answer for it (docs/complaints.md, "A home moves").
    """
    return owner.moved_at is not None and complaint.opened_at < owner.moved_at


def moved_away(complaint: Complaint, owner: Owner) -> bool:
    """Tell whether the home is held now by an account other than the one that filed it."""
    if complaint.telegram_user_id is None:  # filed before 0025 knew, or while nobody held it
        return filed_before_move(complaint, owner)
    return owner.telegram_user_id not in (None, complaint.telegram_user_id)


async def reached_home(s: AsyncSession, complaint: Complaint, owner: Owner) -> Owner | None:
    """Return the owner row whose chat hears about the complaint; None: no account may.

    The complaint's own home while its filer holds it; after a move, the filer's first home
    with the same phone (its chat and language), if it still holds one.
    """
    if not moved_away(complaint, owner):
        return owner
    if complaint.telegram_user_id is None or owner.phone is None:
        return None
    return (await s.exec(
        select(Owner)
        .where(Owner.telegram_user_id == complaint.telegram_user_id,
               Owner.phone == owner.phone, col(Owner.forgotten_at).is_(None))
        .order_by(col(Owner.id))
    )).first()


# Another home of the same account. Built once: aliasing the mapped class costs about 2 ms
# (timeit), more than the query it saves.
_HELD = aliased(Owner, name="held")


def still_reached(telegram_user_id: int) -> ColumnElement[bool]:
    """Return, in SQL, whether the account still holds a home with a moved home's phone.

    The moved home (`Owner`) is that of a complaint this account filed and that moved away
    from it (`reached_home` finds the home it still holds).

    It lets a query over many such complaints ask once instead of once per complaint.
    """
    return exists().where(col(_HELD.telegram_user_id) == telegram_user_id,
                          col(_HELD.phone) == col(Owner.phone),
                          col(_HELD.forgotten_at).is_(None))


async def owners_complaint(s: AsyncSession, complaint: Complaint, telegram_user_id: int
                           ) -> bool:
    """Tell whether this account may speak for the complaint: the one that hears about it."""
    owner = await s.get(Owner, complaint.owner_id)
    if owner is None:
        return False
    home = await reached_home(s, complaint, owner)
    return home is not None and home.telegram_user_id == telegram_user_id
