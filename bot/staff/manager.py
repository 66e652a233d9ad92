"""Managers: /report, /agent, /complaints, /appeals and deciding appeals (with a reason)."""

from __future__ import annotations

from bot.conversation.actions import AnswerCallback
from bot.conversation.context import Context
from bot.render.alerts import appeal_buttons, appeal_lines
from bot.render.errors import error_text
from bot.staff import callbacks as cb
from bot.staff import paging, pending
from bot.staff.actions import StaffAction
from bot.staff.deps import StaffDeps
from bot.staff.pending import Pending
from scoring.periods import parse_period
from surveys.appeals.service import Decision, check_decidable, decide_appeal
from surveys.appeals.views import list_appeals
from surveys.core import clock
from surveys.core.errors import DomainError
from surveys.core.pii import mask_phones
from surveys.outbox.payloads import AppealPayload
from surveys.people.scope import find_agents


async def report(staff: StaffDeps, ctx: Context, args: str) -> list[StaffAction]:
    """/report [week|month|YYYY-MM|YYYY-Www]: the team table, paginated."""
    return await paging.first_page(staff, ctx, "rep", args.split()[0] if args else "week")


async def agent_detail(staff: StaffDeps, ctx: Context, args: str) -> list[StaffAction]:
    """/agent NAME [period]: one agent's detail and trend."""
    tr = ctx.tr
    words = args.split()
    if not words:
        return [ctx.send(tr._("Usage: /agent NAME [period], e.g. /agent 王晓梅 last-week"))]
    period = "week"
    if len(words) > 1:
        try:
            parse_period(words[-1], timezone=staff.timezone, now=clock.now())
            period, words = words[-1], words[:-1]
        except ValueError:
            pass
    name = " ".join(words)
    found = await find_agents(db=staff.db, name=name, community_id=ctx.me.manager_community_id)
    if not found and len(words) > 1 and await find_agents(
            db=staff.db, name=" ".join(words[:-1]), community_id=ctx.me.manager_community_id):
        # "/agent 王晓梅 2026-99": the agent is there, the last word is a period gone wrong
        return [ctx.send(tr._(paging.BAD_PERIOD, text=paging.clip(words[-1])))]
    if not found:
        return [ctx.send(tr._("No agent named “{name}” in your communities.",
                              name=paging.clip(name)))]
    if len(found) > 1:
        names = tr._(", ").join(tr._("{name} ({staff_id})", name=a.name, staff_id=a.external_id)
                                for a in found)
        return [ctx.send(tr._("Several agents match: {names}. Please give the staff id.",
                              names=names))]
    assert found[0].id is not None
    return await paging.first_page(staff, ctx, "ag", f"{found[0].id}~{period}")


async def complaints(staff: StaffDeps, ctx: Context, args: str) -> list[StaffAction]:
    """/complaints for a manager: open and overdue, by agent."""
    return await paging.first_page(staff, ctx, "cpl", "-")


async def appeals(staff: StaffDeps, ctx: Context, args: str) -> list[StaffAction]:
    """/appeals: each pending appeal with Uphold / Void buttons."""
    tr = ctx.tr
    found = await list_appeals(db=staff.db, viewer_telegram_user_id=ctx.user_id,
                               status="pending", limit=20)
    if not found:
        return [ctx.send(tr._("No appeals are waiting for a decision."))]
    actions: list[StaffAction] = [ctx.send(tr.n_(
        "{n} appeal is waiting for a decision:", "{n} appeals are waiting for a decision:",
        len(found)))]
    for a in found:
        data = AppealPayload(appeal_id=a.id, agent_name=a.agent_name,
                             complaint_id=a.complaint_id, response_id=a.response_id,
                             reason=mask_phones(a.reason))  # the agent may have copied one
        actions.append(ctx.send("\n".join(appeal_lines(tr, data)),
                                buttons=appeal_buttons(tr, staff.key, a.id)))
    return actions


async def tap(staff: StaffDeps, ctx: Context, parsed: cb.StaffCallback, callback_id: str
              ) -> list[StaffAction]:
    """Uphold / Void: ask for the reason, decided when it arrives."""
    tr = ctx.tr
    if not ctx.me.is_manager:
        return [AnswerCallback(callback_id, tr._("Sorry, this button is for managers only."),
                               alert=True)]
    appeal_id = parsed.int_field()
    kind = pending.UPHOLD if parsed.op == cb.UPHOLD else pending.VOID
    try:  # a copied button or one of another community: refuse now, not after the reason
        await check_decidable(db=staff.db, appeal_id=appeal_id,
                              manager_telegram_user_id=ctx.user_id)
    except DomainError as exc:
        return [AnswerCallback(callback_id, error_text(tr, exc, id=appeal_id), alert=True)]
    await staff.pending.expect(ctx.user_id, kind, appeal_id)
    if kind == pending.UPHOLD:
        prompt = tr._("You chose to uphold appeal #{id} (the record stands). Send the reason "
                      "in one message, or /cancel.", id=appeal_id)
    else:
        prompt = tr._("You chose to void the record of appeal #{id} (it leaves the scores). "
                      "Send the reason in one message, or /cancel.", id=appeal_id)
    return [AnswerCallback(callback_id), ctx.send(prompt)]


async def take_reason(staff: StaffDeps, ctx: Context, waiting: Pending, text: str
                      ) -> list[StaffAction]:
    """Decide the appeal with this reason."""
    tr = ctx.tr
    decision: Decision = "uphold" if waiting.kind == pending.UPHOLD else "void"
    try:
        view = await decide_appeal(db=staff.db, appeal_id=waiting.target,
                                   manager_telegram_user_id=ctx.user_id,
                                   decision=decision, reason=text)
    except DomainError as exc:
        return [ctx.send(error_text(tr, exc, id=waiting.target))]
    if view.status == "voided":
        return [ctx.send(tr._("Appeal #{id}: the record is voided; the agent has been told.",
                              id=view.id))]
    return [ctx.send(tr._("Appeal #{id}: upheld, the record stands; the agent has been told.",
                          id=view.id))]
