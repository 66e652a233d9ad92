"""The language a person chose (/language), and the bound chats whose menus follow it.

An account may hold several rows (an agent who is also an owner); a choice is stored on
every row bound to the Telegram account, so surveys, alerts and replies all agree.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select

from surveys.core.db import SessionFactory
from surveys.core.errors import ErrorCode, InvalidInput
from surveys.models import Agent, Manager, Owner, Revisitor
from surveys.people.identity import stored_language

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en")


@dataclass(frozen=True)
class LanguageChoice:
    """What storing a choice did: nothing for an unbound account or a repeated choice."""

    language: str
    bound: bool  # the account holds a role; when False nothing was stored
    changed: bool  # False: every row already had this language


async def choose_language(*, db: SessionFactory, telegram_user_id: int,
                          language: str) -> LanguageChoice:
    """Store the account's language on its owner, agent and manager rows (idempotent)."""
    if language not in LANGUAGES:
        raise InvalidInput(f"language must be one of {', '.join(LANGUAGES)}",
                           code=ErrorCode.UNKNOWN_LANGUAGE, languages=", ".join(LANGUAGES))
    async with db() as s, s.begin():
        rows: list[Any] = []
        for table in (Owner, Agent, Manager):  # every home of an owner with several
            rows.extend((await s.exec(select(table).where(
                table.telegram_user_id == telegram_user_id))).all())
        stale = [row for row in rows if row.language != language]
        for row in stale:
            row.language = language
            s.add(row)
    if stale:
        log.info("user %s chose language %s", telegram_user_id, language)
    return LanguageChoice(language=language, bound=bool(rows), changed=bool(stale))


@dataclass(frozen=True)
class MenuTarget:
    """One bound Telegram account whose chat gets its own command menu."""

    telegram_user_id: int
    chat_id: int
    language: str | None  # None: none stored (Telegram's language decides)
    owner_id: int | None = None
    agent_id: int | None = None
    manager_id: int | None = None
    revisitor_id: int | None = None


@dataclass(frozen=True)
class MenuPage:
    """One page of accounts; `next_after` is None after the last page."""

    targets: list[MenuTarget]
    next_after: int | None


async def menu_targets(*, db: SessionFactory, after: int = 0, limit: int = 200) -> MenuPage:
    """Return the next page of bound accounts with a chat, by Telegram user id above `after`.

    Active agents, managers and 回访 staff always have a chat menu; an owner only when a language is
    stored (otherwise the bot-wide default menu, per client language, already fits).
    """
    found: dict[int, dict[str, Any]] = {}
    cutoff: int | None = None
    tables: tuple[tuple[str, Any, Any], ...] = (
        ("manager", Manager, col(Manager.active).is_(True)),
        ("agent", Agent, col(Agent.active).is_(True)),
        ("revisitor", Revisitor, col(Revisitor.active).is_(True)),
        ("owner", Owner, col(Owner.forgotten_at).is_(None)),
    )
    async with db() as s:
        for key, table, extra in tables:
            rows = (await s.exec(
                select(table)
                .where(col(table.telegram_user_id) > after, col(table.chat_id).is_not(None),
                       extra)
                .order_by(col(table.telegram_user_id))
                .limit(limit)
            )).all()
            if len(rows) == limit:  # this table may hold more accounts past its last row
                last = rows[-1].telegram_user_id
                cutoff = last if cutoff is None else min(cutoff, last)
            for row in rows:
                found.setdefault(row.telegram_user_id, {})[key] = row
    targets = []
    ids = [user_id for user_id in sorted(found) if cutoff is None or user_id <= cutoff]
    for user_id in ids:
        held = found[user_id]
        manager, agent, owner = held.get("manager"), held.get("agent"), held.get("owner")
        revisitor = held.get("revisitor")
        language = stored_language(manager, agent, owner, revisitor)
        if manager is None and agent is None and revisitor is None and language is None:
            continue
        chat_id = next(r.chat_id for r in (manager, revisitor, agent, owner) if r is not None)
        targets.append(MenuTarget(
            telegram_user_id=user_id, chat_id=chat_id, language=language,
            owner_id=owner.id if owner else None, agent_id=agent.id if agent else None,
            manager_id=manager.id if manager else None,
            revisitor_id=revisitor.id if revisitor else None,
        ))
    return MenuPage(targets, None if cutoff is None else cutoff)
