"""Managers and bulk agent import for the admin CLI (agents one by one: `surveys.intake.close`)."""

from __future__ import annotations

import asyncio
import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.core.db import SessionFactory
from surveys.core.errors import DomainError, ErrorCode, InvalidInput, NotFound, unreadable_file
from surveys.core.ids import may_name_a_row
from surveys.core.text import clean_name
from surveys.models import Agent, Manager, Revisitor
from surveys.people.directory import add_agent, community_by_code
from surveys.people.menu_resets import add_menu_reset

AGENT_COLUMNS = ("external_id", "name", "community_code", "phone")


ScopedT = TypeVar("ScopedT", Manager, Revisitor)


async def _add_scoped(db: SessionFactory, table: type[ScopedT], *, name: str,
                      community_code: str | None, phone: str | None) -> ScopedT:
    """Add a manager or 回访 staff member of one community (or all).

    Refused, with nothing written, when the community is unknown or an active one of that
    name already has that scope (a rerun must not add a second one).
    """
    name = clean_name(name, f"{table.__tablename__} name")
    async with db() as s, s.begin():
        community_id = None
        if community_code:
            community_id = (await community_by_code(s, community_code)).id
        same = (await s.exec(select(table).where(
            col(table.name) == name, col(table.community_id) == community_id,
            col(table.active).is_(True)))).first()
        if same is not None:
            raise InvalidInput(f"{table.__tablename__} {name} exists (id {same.id})",
                               code=ErrorCode.MANAGER_EXISTS, id=same.id, name=name)
        row = table(name=name, community_id=community_id, phone=phone)
        s.add(row)
        await s.flush()
        return row


async def add_manager(*, db: SessionFactory, name: str, community_code: str | None = None,
                      phone: str | None = None) -> Manager:
    """Add a manager of one community (or of all); the same name and scope again adds nobody."""
    return await _add_scoped(db, Manager, name=name, community_code=community_code,
                             phone=phone)


async def add_revisitor(*, db: SessionFactory, name: str, community_code: str | None = None,
                        phone: str | None = None) -> Revisitor:
    """Add 回访 staff for one community (or all); the same name and scope again adds nobody."""
    return await _add_scoped(db, Revisitor, name=name, community_code=community_code,
                             phone=phone)


async def list_revisitors(*, db: SessionFactory) -> list[Revisitor]:
    """Return every 回访 staff member."""
    async with db() as s:
        return list((await s.exec(select(Revisitor).order_by(col(Revisitor.id)))).all())


async def deactivate_revisitor(*, db: SessionFactory, revisitor_id: int) -> Revisitor:
    """Deactivate 回访 staff (no more lists or /revisit; their records stay)."""
    async with db() as s, s.begin():
        row = await s.get(Revisitor, revisitor_id) if may_name_a_row(revisitor_id) else None
        if row is None:
            raise NotFound(f"revisitor {revisitor_id}", code=ErrorCode.REVISITOR_UNKNOWN,
                           staff=revisitor_id)
        await _deactivate(s, row)
        return row


async def list_managers(*, db: SessionFactory) -> list[Manager]:
    """Return every manager."""
    async with db() as s:
        return list((await s.exec(select(Manager).order_by(col(Manager.id)))).all())


@dataclass
class AgentImport:
    """The result of a CSV import: agents added or updated, and per-line errors."""
    agents: list[Agent] = field(default_factory=list)
    errors: list[tuple[int, DomainError]] = field(default_factory=list)


def _csv_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030 (GBK)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        code, fields = unreadable_file(exc)
        raise InvalidInput(f"cannot read: {code}", code=code, path=str(path), **fields) from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    for codec in ("utf-8-sig", "gb18030"):  # GB18030 reads what Excel saves as GBK
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("unknown encoding", code=ErrorCode.ENCODING_REFUSED, encoding="?")


async def import_agents_csv(*, db: SessionFactory, path: Path | str) -> AgentImport:
    """Import agents from a CSV with columns external_id,name,community_code[,phone].

    A file that cannot be read, or lacks a column, raises InvalidInput (nothing imported);
    each refused row is kept with its line and the coded error.
    """
    text = await asyncio.to_thread(_csv_text, Path(path))
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in AGENT_COLUMNS[:2] if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput("missing columns", code=ErrorCode.MISSING_COLUMNS,
                           columns=", ".join(missing))
    result = AgentImport()
    for line, row in enumerate(reader, start=2):
        try:  # add_agent refuses an empty id or name (clean_name) with its code
            agent = await add_agent(db=db, external_id=row.get("external_id") or "",
                                    name=row.get("name") or "",
                                    community_code=(row.get("community_code") or "").strip()
                                    or None, phone=(row.get("phone") or "").strip() or None)
        except (InvalidInput, NotFound) as exc:
            result.errors.append((line, exc))
            continue
        result.agents.append(agent)
    return result



async def _deactivate(s: AsyncSession, row: Agent | Manager | Revisitor) -> None:
    if row.active and row.telegram_user_id is not None and row.chat_id is not None:
        # Their chat still shows the staff menu; the bot resets it when it can.
        await add_menu_reset(s, telegram_user_id=row.telegram_user_id, chat_id=row.chat_id)
    row.active = False
    s.add(row)
    await s.flush()


async def agent_id_by_staff_id(*, db: SessionFactory, external_id: str) -> int:
    """Return the row id of the agent with this staff id (工号)."""
    async with db() as s:
        agent = (await s.exec(select(Agent).where(Agent.external_id == external_id))).first()
    if agent is None or agent.id is None:
        raise NotFound(f"agent {external_id}", code=ErrorCode.AGENT_NOT_FOUND, id=external_id)
    return agent.id


async def deactivate_agent(*, db: SessionFactory, external_id: str) -> Agent:
    """Deactivate an agent (no more cards or summaries, no staff commands or menu)."""
    async with db() as s, s.begin():
        agent = (await s.exec(select(Agent).where(Agent.external_id == external_id))).first()
        if agent is None:
            raise NotFound(f"agent {external_id}", code=ErrorCode.AGENT_NOT_FOUND, id=external_id)
        await _deactivate(s, agent)
        return agent


async def deactivate_manager(*, db: SessionFactory, manager_id: int) -> Manager:
    """Deactivate a manager (no more alerts or digests, no staff commands or menu)."""
    async with db() as s, s.begin():
        manager = await s.get(Manager, manager_id) if may_name_a_row(manager_id) else None
        if manager is None:
            raise NotFound(f"manager {manager_id}", code=ErrorCode.MANAGER_NOT_FOUND, id=manager_id)
        await _deactivate(s, manager)
        return manager
