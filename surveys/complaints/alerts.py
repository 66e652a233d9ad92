"""Who hears about a complaint, and the outbox payloads that tell them (no phone numbers)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.complaints.reach import reached_home
from surveys.models import Agent, Complaint, Manager, Owner, WorkOrder
from surveys.outbox.kinds import OutboxKind
from surveys.outbox.payloads import ComplaintEvidence, ComplaintNews, ComplaintPayload
from surveys.outbox.store import enqueue
from surveys.people.homes import home_if_several, name_home
from surveys.people.scope import oversight_community

DEFAULT_LOCALE = "zh_CN"


@dataclass
class ComplaintContext:
    """The complaint with the people and order around it, loaded once per transaction."""

    complaint: Complaint
    owner: Owner  # the home it is about
    agent: Agent | None
    work_order: WorkOrder | None
    # After the home moved to another account: the filer's home the bot reaches her through
    # (`reach.reached_home`), None while she holds the home or no home of hers is left.
    filer: Owner | None = None

    @property
    def community_id(self) -> int:
        # The community whose managers oversee the credited agent (see surveys/people/scope.py).
        return oversight_community(self.agent, self.owner)

    @property
    def person(self) -> Owner:
        """Whom staff are told the complaint is from: the filer, by the row she is known by.

        The home row may name its new holder once the office corrects it after a move; the
        place (building, room, community) is always the complaint's home.
        """
        return self.filer or self.owner


async def load_context(session: AsyncSession, complaint: Complaint) -> ComplaintContext:
    """Load the home, the filer's home after a move, credited agent and work order."""
    owner = await session.get(Owner, complaint.owner_id)
    if owner is None:  # foreign keys make this impossible; keep mypy and readers honest
        raise LookupError(f"complaint {complaint.id} has no owner")
    agent = await session.get(Agent, complaint.agent_id) if complaint.agent_id else None
    order = (
        await session.get(WorkOrder, complaint.work_order_id) if complaint.work_order_id else None
    )
    reached = await reached_home(session, complaint, owner)  # a query only after a move
    return ComplaintContext(complaint=complaint, owner=owner, agent=agent, work_order=order,
                            filer=reached if reached is not owner else None)


async def managers_for(session: AsyncSession, community_id: int | None) -> list[Manager]:
    """Return active, bound managers of the community or of all communities."""
    stmt = select(Manager).where(
        col(Manager.active).is_(True), col(Manager.chat_id).is_not(None)
    )
    if community_id is not None:
        stmt = stmt.where(
            or_(col(Manager.community_id).is_(None), Manager.community_id == community_id)
        )
    stmt = stmt.order_by(col(Manager.id))
    return list((await session.exec(stmt)).all())


def owner_unit(owner: Owner) -> str | None:
    """Return the owner's building-room label, if known."""
    parts = [p for p in (owner.building, owner.room) if p]
    return "-".join(parts) if parts else None


def complaint_payload(ctx: ComplaintContext, locale: str | None,
                      news: ComplaintNews | None = None,
                      model: type[ComplaintPayload] = ComplaintPayload,
                      home: str | None = None) -> ComplaintPayload:
    """Return everything a renderer needs to show a complaint (never the owner's phone).

    `news` is what this message adds; `model` the kind's own payload when it has one (it
    checks its fields now, not in the sender).
    """
    c = ctx.complaint
    order = ctx.work_order
    return model(
        complaint_id=c.id, source=c.source, status=c.status, text=c.text,
        tags=list(c.tags or []), evidence=ComplaintEvidence.model_validate(c.evidence or {}),
        urgent=c.urgent, opened_at=c.opened_at, ack_deadline=c.ack_deadline,
        resolve_deadline=c.resolve_deadline, escalations=c.escalations,
        work_order_external_id=order.external_id if order else None,
        work_order_title=order.title if order else None,
        work_order_category=order.category if order else None,
        work_order_occurrence=order.occurrence if order else 1,
        owner_name=ctx.person.name, owner_unit=owner_unit(ctx.owner),
        agent_id=ctx.agent.id if ctx.agent else None,
        agent_name=ctx.agent.name if ctx.agent else None,
        locale=locale or DEFAULT_LOCALE,
        **(news.model_dump(exclude_unset=True) if news else {}),
        **({"home": home} if home else {}),
    )


async def notify_agent(
    session: AsyncSession, ctx: ComplaintContext, *, kind: OutboxKind, dedupe_key: str,
    extra: ComplaintNews | None = None, model: type[ComplaintPayload] = ComplaintPayload,
) -> bool:
    """Queue a message about the complaint to its agent; False if the agent has no chat."""
    agent = ctx.agent
    if agent is None or agent.chat_id is None or not agent.active:
        return False
    payload = complaint_payload(ctx, agent.language, extra, model)
    await enqueue(session, kind=kind, dedupe_key=dedupe_key, chat_id=agent.chat_id,
                  payload=payload)
    return True


async def notify_managers(
    session: AsyncSession, ctx: ComplaintContext, *, kind: OutboxKind, dedupe_prefix: str,
    extra: ComplaintNews | None = None, model: type[ComplaintPayload] = ComplaintPayload,
) -> int:
    """Queue a message about the complaint to each manager concerned; return how many."""
    managers = await managers_for(session, ctx.community_id)
    for manager in managers:
        assert manager.chat_id is not None  # filtered in the query
        payload = complaint_payload(ctx, manager.language, extra, model)
        await enqueue(
            session, kind=kind, dedupe_key=f"{dedupe_prefix}:m{manager.id}",
            chat_id=manager.chat_id, payload=payload,
        )
    return len(managers)


async def notify_owner(
    session: AsyncSession, ctx: ComplaintContext, *, kind: OutboxKind, dedupe_key: str,
    extra: ComplaintNews | None = None,
) -> bool:
    """Queue a message about the complaint to its owner; False if they cannot be reached."""
    # The account that filed it, even when the home moved on (surveys.complaints.reach).
    home = await reached_home(session, ctx.complaint, ctx.owner)
    if home is None or home.chat_id is None or home.forgotten_at is not None:
        return False
    named = (await home_if_several(session, home, ctx.work_order) if home is ctx.owner
             else await name_home(session, ctx.owner, ctx.work_order))  # no longer theirs
    payload = complaint_payload(ctx, home.language, extra, home=named)
    await enqueue(session, kind=kind, dedupe_key=dedupe_key, chat_id=home.chat_id,
                  payload=payload)
    return True


async def announce_opened(
    session: AsyncSession, ctx: ComplaintContext, *, ratings: dict[str, int]
) -> list[str]:
    """Tell the agent about a new complaint and alert managers when it calls for it."""
    cid = ctx.complaint.id
    reached_agent = await notify_agent(
        session, ctx, kind=OutboxKind.COMPLAINT_OPENED, dedupe_key=f"complaint_opened:{cid}",
        extra=ComplaintNews(ratings=dict(ratings)),
    )
    reasons: list[str] = []
    if any(value == 1 for value in ratings.values()):
        reasons.append("rating_1")
    if ctx.complaint.urgent:
        reasons.append("urgent")
    if ctx.agent is None:
        reasons.append("no_agent")
    elif not reached_agent:
        reasons.append("agent_unreachable")
    if reasons:
        await notify_managers(
            session, ctx, kind=OutboxKind.MANAGER_ALERT, dedupe_prefix=f"manager_alert:{cid}",
            extra=ComplaintNews(ratings=dict(ratings), reasons=reasons),
        )
    return reasons
