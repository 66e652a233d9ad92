"""Agents: complaint buttons (acknowledge, reply, resolve, appeal), /me, /appeal, /complaints."""

from __future__ import annotations

import dataclasses
import re

from bot.conversation.actions import AnswerCallback
from bot.conversation.context import Context
from bot.render.alerts import agent_buttons, complaint_card, complaint_lines
from bot.render.errors import error_text
from bot.render.not_told import not_told
from bot.render.privacy import as_staff_reads
from bot.staff import callbacks as cb
from bot.staff import paging, pending, templates
from bot.staff.actions import Edit, StaffAction
from bot.staff.deps import StaffDeps
from bot.staff.pending import Pending
from surveys.appeals.service import file_appeal
from surveys.complaints import handling, queries
from surveys.complaints.queries import get_complaint
from surveys.complaints.views import ComplaintView
from surveys.core.errors import DomainError, ErrorCode, Forbidden, NotFound
from surveys.core.ids import MAX_ROW_ID
from surveys.outbox.payloads import ComplaintPayload

OPEN_STATUSES = queries.OPEN_STATUSES
_APPEAL = re.compile(r"^\s*([#cCrR]?)(\d+)\s*(.*)$", re.DOTALL)


def view_data(staff: StaffDeps, view: ComplaintView) -> ComplaintPayload:
    """Turn a ComplaintView into the payload the complaint renderers read (for its agent)."""
    data = as_staff_reads(dataclasses.asdict(view),
                          typed_phones=staff.complaint_config.agent_sees_typed_phones)
    return ComplaintPayload.of(data)


async def tap(staff: StaffDeps, ctx: Context, parsed: cb.StaffCallback, callback_id: str,
              message_id: int | None) -> list[StaffAction]:
    """Acknowledge, resolve, or wait for a reply / appeal reason."""
    tr, cid = ctx.tr, parsed.int_field()
    if not ctx.me.is_agent:
        return [AnswerCallback(callback_id, tr._("Sorry, this button is for agents only."))]
    try:
        if parsed.op in (cb.REPLY, cb.APPEAL):
            # The same check as Acknowledge / Resolve, so all four say "not yours" alike.
            await handling.check_agent_may_handle(db=staff.db, complaint_id=cid,
                                                  agent_telegram_user_id=ctx.user_id)
        if parsed.op == cb.REPLY:
            await staff.pending.expect(ctx.user_id, pending.REPLY, cid)
            return [AnswerCallback(callback_id), await templates.reply_prompt(staff, ctx, cid)]
        if parsed.op == cb.APPEAL:
            await staff.pending.expect(ctx.user_id, pending.APPEAL, cid)
            return [AnswerCallback(callback_id), ctx.send(tr._(
                "Send the reason for your appeal of complaint #{id} in one message. "
                "Send /cancel to stop.", id=cid))]
        if parsed.op == cb.ACK:
            result = await handling.acknowledge(db=staff.db, complaint_id=cid,
                                                  agent_telegram_user_id=ctx.user_id)
            toast = (None if not result.changed
                     else tr._("Acknowledged; the owner has been told.") if result.owner_told
                     else not_told(tr, result, "ack"))
        else:
            result = await handling.resolve(db=staff.db, complaint_id=cid,
                                              agent_telegram_user_id=ctx.user_id)
            toast = (None if not result.changed
                     else tr._("Marked resolved; the owner will be asked whether they are "
                               "satisfied.") if result.owner_told
                     else not_told(tr, result, "resolved"))
    except DomainError as exc:
        return [AnswerCallback(callback_id, error_text(tr, exc), alert=True)]
    actions: list[StaffAction] = [AnswerCallback(callback_id, toast)]
    if message_id is not None:
        text, buttons = complaint_card(tr, staff.key, view_data(staff, result.view))
        actions.append(Edit(ctx.who.chat_id, message_id, text,
                                buttons=list(buttons) or None))
    return actions


async def take_text(staff: StaffDeps, ctx: Context, waiting: Pending, text: str
                    ) -> list[StaffAction]:
    """Relay the agent's reply to the owner, or file the appeal with this reason."""
    tr = ctx.tr
    try:
        if waiting.kind == pending.REPLY:
            result = await handling.reply_to_owner(db=staff.db, complaint_id=waiting.target,
                                                   agent_telegram_user_id=ctx.user_id,
                                                   text=text)
            return [ctx.send(tr._("Your reply was sent to the owner.") if result.owner_told
                             else not_told(tr, result, "reply"))]
        appeal = await file_appeal(db=staff.db, agent_telegram_user_id=ctx.user_id,
                                   complaint_id=waiting.target, reason=text)
    except DomainError as exc:
        return [ctx.send(error_text(tr, exc))]
    return [ctx.send(tr._("Appeal #{id} was filed; a manager will decide on it.",
                          id=appeal.id))]


async def appeal_command(staff: StaffDeps, ctx: Context, args: str) -> list[StaffAction]:
    """/appeal <complaint id | R<response id>> <reason>."""
    tr = ctx.tr
    usage = tr._("Usage: /appeal ID reason — ID is a complaint number (e.g. 12) or R and a "
                 "response number (e.g. R34).")
    m = _APPEAL.match(args)
    if m is None:
        return [ctx.send(usage)]
    digits = m.group(2).lstrip("0") or "0"
    if len(digits) > len(str(MAX_ROW_ID)) or int(digits) > MAX_ROW_ID:
        return [ctx.send(error_text(tr, NotFound(code=ErrorCode.RECORD_NOT_FOUND),
                                    id=paging.clip(m.group(2))))]
    kind, number, reason = m.group(1).lower(), int(digits), m.group(3).strip()
    is_response = kind == "r"
    if not reason:
        if is_response:
            return [ctx.send(usage)]
        try:  # ask for a reason only about the agent's own complaint
            view = await get_complaint(db=staff.db, complaint_id=number,
                                       viewer_telegram_user_id=ctx.user_id)
        except DomainError:
            view = None
        if view is None or view.agent_id != ctx.me.agent_id:
            return [ctx.send(error_text(tr, Forbidden(code=ErrorCode.APPEAL_NOT_OWN_RECORD)))]
        await staff.pending.expect(ctx.user_id, pending.APPEAL, number)
        return [ctx.send(tr._("Send the reason for your appeal of complaint #{id} in one "
                              "message. Send /cancel to stop.", id=number))]
    try:
        appeal = await file_appeal(
            db=staff.db, agent_telegram_user_id=ctx.user_id, reason=reason,
            complaint_id=None if is_response else number,
            response_id=number if is_response else None,
        )
    except DomainError as exc:  # the id as typed (12, #12, R34) names a missing record
        return [ctx.send(error_text(tr, exc, id=paging.clip(args.split()[0])))]
    return [ctx.send(tr._("Appeal #{id} was filed; a manager will decide on it.",
                          id=appeal.id))]


async def complaints(staff: StaffDeps, ctx: Context, args: str) -> list[StaffAction]:
    """List the agent's complaints still being handled, each with its buttons."""
    tr = ctx.tr
    views = await queries.list_complaints(db=staff.db, viewer_telegram_user_id=ctx.user_id,
                                          status=list(OPEN_STATUSES), limit=10)
    if not views:
        return [ctx.send(tr._("You have no open complaints. Well done!"))]
    actions: list[StaffAction] = [ctx.send(tr.n_(
        "You have {n} complaint being handled:", "You have {n} complaints being handled:",
        len(views)))]
    for view in views:
        data = view_data(staff, view)
        buttons = agent_buttons(tr, staff.key, data)
        actions.append(ctx.send("\n".join(complaint_lines(tr, data)),
                                buttons=list(buttons) or None))
    return actions


async def me(staff: StaffDeps, ctx: Context, args: str) -> list[StaffAction]:
    """/me [period]: the agent's own figures with the breakdown, paginated."""
    assert ctx.me.agent_id is not None
    return await paging.first_page(staff, ctx, "me", args or "week")
