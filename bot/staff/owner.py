"""The owner's complaint side: /complain, free text outside a survey, follow-up answers,
and answering the agent through the bot."""

from __future__ import annotations

from bot.conversation.actions import AnswerCallback
from bot.conversation.context import Context
from bot.render.errors import error_text
from bot.staff import callbacks as cb
from bot.staff import owner_text, pending
from bot.staff.actions import Edit, StaffAction
from bot.staff.deps import StaffDeps
from bot.staff.pending import Pending
from surveys.complaints.handling import owner_message, record_follow_up
from surveys.complaints.queries import check_owner_may_write
from surveys.core.errors import DomainError, ErrorCode
from surveys.survey.comments import awaiting_comment


async def complain(staff: StaffDeps, ctx: Context, args: str) -> list[StaffAction]:
    """/complain TEXT: open a direct complaint with a polite receipt."""
    if not args:
        await staff.pending.expect(ctx.user_id, pending.COMPLAIN, 0)
        return [ctx.send(ctx.tr._("Please describe your complaint in one message; we will pass "
                                  "it to the staff in charge. Send /cancel to stop."))]
    return await owner_text.complain(staff, ctx, args)


async def free_text(staff: StaffDeps, ctx: Context, text: str) -> list[StaffAction] | None:
    """Handle text outside a survey (chatter, a follow-up, a complaint...).

    A survey comment is not ours (None).
    """
    if await awaiting_comment(db=staff.db, telegram_user_id=ctx.user_id):
        return None
    return await owner_text.free_text(staff, ctx, text)


async def take_text(staff: StaffDeps, ctx: Context, waiting: Pending, text: str
                    ) -> list[StaffAction]:
    """Take the owner's answer to the agent, or the text of a /complain without words."""
    if waiting.kind == pending.COMPLAIN:
        return await owner_text.complain(staff, ctx, text)
    try:
        await owner_message(db=staff.db, complaint_id=waiting.target,
                            owner_telegram_user_id=ctx.user_id, text=text,
                            complaint_config=staff.complaint_config)
    except DomainError as exc:
        return [ctx.send(error_text(ctx.tr, exc))]
    return [ctx.send(ctx.tr._("Your message was passed on to the staff member."))]


async def tap(staff: StaffDeps, ctx: Context, parsed: cb.StaffCallback, callback_id: str,
              message_id: int | None) -> list[StaffAction]:
    """Satisfied / not satisfied after "resolved", or "Answer" to the agent's message."""
    tr, cid = ctx.tr, parsed.int_field()
    if parsed.op == cb.OWNER_REPLY:
        try:  # a copied button, or one under a closed complaint: refuse now, not after the text
            await check_owner_may_write(db=staff.db, complaint_id=cid,
                                        owner_telegram_user_id=ctx.user_id)
        except DomainError as exc:
            return [AnswerCallback(callback_id, error_text(tr, exc))]
        await staff.pending.expect(ctx.user_id, pending.OWNER_REPLY, cid)
        return [AnswerCallback(callback_id), ctx.send(tr._(
            "Type your message to the staff member now. Send /cancel to stop."))]
    satisfied = parsed.fields[1] == "1"
    # Buttons sent before rounds were recorded carry none; the service decides what they mean.
    asked_round = parsed.int_field(2) if len(parsed.fields) > 2 else None
    try:
        result = await record_follow_up(db=staff.db, complaint_id=cid,
                                        owner_telegram_user_id=ctx.user_id, satisfied=satisfied,
                                        follow_up_round=asked_round,
                                        complaint_config=staff.complaint_config)
    except DomainError as exc:
        return [AnswerCallback(callback_id, error_text(tr, exc), alert=exc.code in (
            ErrorCode.FOLLOW_UP_NOT_OWNER, ErrorCode.FOLLOW_UP_STALE,
            ErrorCode.FOLLOW_UP_ESCALATED))]
    if result.view.status == "closed_unreachable":
        # Staff closed it after failing to reach the owner: the close stands, never a promise.
        text = tr._("Thank you for your answer. We could not reach you earlier, so this "
                    "complaint was closed. If the matter is not settled, please send /complain "
                    "and tell us; it will be handled again.")
    elif result.view.status == "escalated":
        text = tr._("We are sorry it is not settled. Your complaint has been passed to the "
                    "manager and will be handled again; we will ask you once more when it "
                    "is resolved.")
    elif result.view.satisfied:
        text = tr._("Thank you! We are glad the matter was handled to your satisfaction.")
    else:
        text = tr._("Thank you for telling us. We are sorry; a manager will review how your "
                    "complaint was handled.")
    actions: list[StaffAction] = [AnswerCallback(callback_id)]
    if message_id is not None:
        actions.append(Edit(ctx.who.chat_id, message_id, text))
    else:
        actions.append(ctx.send(text))
    return actions
