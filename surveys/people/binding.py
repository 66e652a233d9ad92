"""Binding Telegram accounts to owners, agents and managers; opt-out.

Invite tokens are `<nonce><signature>` (22 + 22 url-safe base64 chars): the HMAC lets a
forged token be refused without a database lookup, and only a SHA-256 hash of the token is
stored, so a database leak does not leak usable invites. Each invite is one-time and expires.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.core import clock
from surveys.core.db import SessionFactory
from surveys.core.errors import (
    ErrorCode,
    ForgedContact,
    InvalidInvite,
    NotBound,
    NotFound,
    PhoneBoundElsewhere,
    UnknownPhone,
)
from surveys.core.ids import may_name_a_row
from surveys.core.pii import mask_phone, normalise_phone
from surveys.models import Agent, Invite, Manager, Owner, Revisitor, Role
from surveys.people.homes import first_home, homes_of

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{44}$")


@dataclass(frozen=True)
class ContactBinding:
    """What a shared contact bound: the first home, and how many the account now holds."""

    owner: Owner
    bound: int  # homes with this phone now bound to the account
    newly_bound: int  # of them, bound by this share (0: a share repeated)
    held_elsewhere: int  # homes with this phone another account holds (left there)
    homes: tuple[str, ...]  # every home the account now holds, named (surveys.people.homes)


_TABLES: dict[str, Any] = {Role.OWNER: Owner, Role.AGENT: Agent, Role.MANAGER: Manager,
                           Role.REVISITOR: Revisitor}


async def _take_binding(s: AsyncSession, table: Any, telegram_user_id: int, keep_id: int) -> None:
    """Unbind this Telegram account from any other row of a staff table (the column is unique).

    Owner rows are not taken: one account may hold several homes.
    """
    if table is Owner:
        return
    await s.exec(
        update(table)
        .where(col(table.telegram_user_id) == telegram_user_id, col(table.id) != keep_id)
        .values(telegram_user_id=None, chat_id=None)
    )
    await s.flush()


async def _bind(
    s: AsyncSession, row: Any, *, telegram_user_id: int, chat_id: int, language: str | None
) -> None:
    await _take_binding(s, type(row), telegram_user_id, row.id)
    if isinstance(row, Owner):
        # The account's other homes share its choices: the language it chose, and whether
        # it stopped surveys (a new home must not bring back what /stop ended).
        other = await first_home(s, telegram_user_id, besides=row.id)
        if other is not None:
            row.opted_out = other.opted_out
            language = language or other.language
        row.unreachable_since = None  # a chat the person just wrote from
        if row.telegram_user_id not in (None, telegram_user_id):
            # An invite moved the home from another account: what that account did here
            # is not this one's (surveys.complaints.owner_steps).
            row.moved_at = clock.now()
    if row.telegram_user_id != telegram_user_id:  # the same account again binds nothing new
        row.bound_at = clock.now()
    row.telegram_user_id = telegram_user_id
    row.chat_id = chat_id
    if language:
        row.language = language
    s.add(row)


async def bind_owner_by_contact(
    *,
    db: SessionFactory,
    telegram_user_id: int,
    chat_id: int,
    phone: str,
    contact_user_id: int | None,
    language: str | None = None,
) -> ContactBinding:
    """Bind the sender to every home with the shared phone; only their own contact counts.

    A home already bound to another Telegram account is left there (a recycled or shared
    number must not take it silently); when every home with the phone is held elsewhere the
    share is refused with `PHONE_BOUND_ELSEWHERE`, and an invite from the property office
    moves it. Sharing again binds nothing twice.
    """
    if contact_user_id is None or contact_user_id != telegram_user_id:
        log.warning("forged contact from user %s (contact user %s)",
                    telegram_user_id, contact_user_id)
        raise ForgedContact()
    normalised = normalise_phone(phone)
    async with db() as s, s.begin():
        # The rows' write lock first (SQLite's database lock, PostgreSQL's row locks): two
        # accounts sharing one number at once are decided one after the other.
        await s.exec(update(Owner).where(col(Owner.phone) == normalised)
                     .values(phone=col(Owner.phone)))
        rows = (await s.exec(
            select(Owner)
            .where(Owner.phone == normalised, col(Owner.forgotten_at).is_(None))
            .order_by(col(Owner.id))
        )).all()
        if not rows:
            log.info("bind by contact: no owner has phone %s", mask_phone(normalised))
            raise UnknownPhone()
        elsewhere = [o for o in rows if o.telegram_user_id not in (None, telegram_user_id)]
        mine = [o for o in rows if o not in elsewhere]
        if elsewhere:
            log.warning("bind by contact: %s home(s) with phone %s are bound to another "
                        "account; user %s did not take them", len(elsewhere),
                        mask_phone(normalised), telegram_user_id)
        if not mine:
            raise PhoneBoundElsewhere()
        new = [o for o in mine if o.telegram_user_id is None]
        for owner in new:
            await _bind(s, owner, telegram_user_id=telegram_user_id, chat_id=chat_id,
                        language=language)
            await s.flush()
        log.info("owners %s bound by contact (%s)", [o.id for o in new], mask_phone(normalised))
        homes = tuple(home.label for home in await homes_of(s, telegram_user_id))
        return ContactBinding(owner=mine[0], bound=len(mine), newly_bound=len(new),
                              held_elsewhere=len(elsewhere), homes=homes)


def _sign(secret: str, nonce: str) -> str:
    digest = hmac.new(secret.encode(), nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_row(*, role: str, subject_id: int, ttl: timedelta | float,
               secret: str) -> tuple[str, dict[str, Any]]:
    """Return a new invite's /start token and its row (only the token's hash is stored)."""
    if not secret:
        raise ValueError("an invite secret is required (invites.secret in the config)")
    if not isinstance(ttl, timedelta):
        ttl = timedelta(hours=float(ttl))
    nonce = base64.urlsafe_b64encode(secrets.token_bytes(16)).decode().rstrip("=")
    token = nonce + _sign(secret, nonce)
    now = clock.now()
    return token, {"token_hash": _hash(token), "role": str(Role(role)), "subject_id": subject_id,
                   "expires_at": now + ttl, "created_at": now}


async def create_invite(
    *, db: SessionFactory, role: str, subject_id: int, ttl: timedelta | float, secret: str
) -> str:
    """Create a one-time invite for an owner/agent/manager; return the /start token."""
    token, row = invite_row(role=role, subject_id=subject_id, ttl=ttl, secret=secret)
    async with db() as s, s.begin():
        if not may_name_a_row(subject_id) or await s.get(_TABLES[Role(role)],
                                                         subject_id) is None:
            raise NotFound(f"no {role} with id {subject_id}", code=ErrorCode.NOT_FOUND,
                           id=subject_id)
        s.add(Invite(**row))
    return token


async def redeem_invite(
    *,
    db: SessionFactory,
    token: str,
    telegram_user_id: int,
    chat_id: int,
    language: str | None = None,
    secret: str,
) -> tuple[str, int]:
    """Bind the sender to the invite's subject; return (role, subject id)."""
    if not secret or not _TOKEN.match(token or ""):
        raise InvalidInvite("malformed")
    nonce, signature = token[:22], token[22:]
    if not hmac.compare_digest(signature, _sign(secret, nonce)):
        log.warning("forged invite token from user %s", telegram_user_id)
        raise InvalidInvite("forged")
    async with db() as s, s.begin():
        invite = (await s.exec(select(Invite).where(Invite.token_hash == _hash(token)))).first()
        if invite is None:
            raise InvalidInvite("unknown")
        if invite.used_at is not None:
            if invite.used_by_telegram_user_id == telegram_user_id:
                return invite.role, invite.subject_id  # the same /start delivered twice
            raise InvalidInvite("used")
        if invite.expires_at <= clock.now():
            raise InvalidInvite("expired")
        row = await s.get(_TABLES[invite.role], invite.subject_id)
        if row is None:
            raise InvalidInvite("subject gone")
        # Claim the one-time link first: of two accounts opening it at once, the second
        # finds it used (both were bound and told so, the later one winning the row).
        claimed = await s.exec(
            update(Invite)
            .where(col(Invite.id) == invite.id, col(Invite.used_at).is_(None))
            .values(used_at=clock.now(), used_by_telegram_user_id=telegram_user_id))
        if claimed.rowcount != 1:
            await s.refresh(invite)
            if invite.used_by_telegram_user_id == telegram_user_id:
                return invite.role, invite.subject_id
            raise InvalidInvite("used")
        await _bind(s, row, telegram_user_id=telegram_user_id, chat_id=chat_id,
                    language=language)
        log.info("%s %s bound by invite", invite.role, invite.subject_id)
        return invite.role, invite.subject_id


async def _set_opt_out(db: SessionFactory, telegram_user_id: int, value: bool) -> Owner:
    async with db() as s, s.begin():
        owner = await first_home(s, telegram_user_id)
        if owner is None:
            raise NotBound()
        # The choice is the account's: every home it holds stops or resumes together.
        values: dict[str, Any] = {"opted_out": value}
        if not value:  # /start, also what Telegram's "Restart" after unblocking sends
            values["unreachable_since"] = None
        await s.exec(update(Owner).where(col(Owner.telegram_user_id) == telegram_user_id)
                     .values(**values))
        log.info("owner account %s opted %s", telegram_user_id, "out" if value else "in")
        return owner


async def opt_out(*, db: SessionFactory, telegram_user_id: int) -> Owner:
    """Stop surveys for this owner; queued ones are dropped at send time."""
    return await _set_opt_out(db, telegram_user_id, True)


async def opt_in(*, db: SessionFactory, telegram_user_id: int) -> Owner:
    """Resume surveys for this owner."""
    return await _set_opt_out(db, telegram_user_id, False)


async def set_language(*, db: SessionFactory, telegram_user_id: int, language: str) -> None:
    """Remember the language an account chose (owner, agent and manager rows)."""
    async with db() as s, s.begin():
        for table in _TABLES.values():
            await s.exec(
                update(table)
                .where(col(table.telegram_user_id) == telegram_user_id)
                .values(language=language)
            )
