"""Tag corrections in chat: open the editor, change the choice, submit, confirm or reject.

Every tap is checked again by the service (role, scope, ownership, state), whoever taps.
"""

from __future__ import annotations

import re

from bot.conversation.actions import AnswerCallback
from bot.conversation.context import Context
from bot.render.alerts import tags_text
from bot.render.corrections import CANCEL, decode, editor, verdict_text
from bot.render.errors import error_text
from bot.staff import callbacks as cb
from bot.staff.actions import Edit, StaffAction
from bot.staff.deps import StaffDeps
from surveys.complaints import corrections
from surveys.complaints.correction_views import CorrectionResult, Outcome
from surveys.core.errors import DomainError, ErrorCode, Forbidden
from surveys.outbox.ports import Button, Keyboard

LIST_ID = re.compile(r"^(?:⏰ )?#(\d+) ", re.MULTILINE)  # a row of the manager's list
LIST_BUTTONS = 12


def list_buttons(ctx: Context, key: bytes, page: str) -> Keyboard:
    """Return "✏️ #id" buttons for the complaints listed on a page of the manager's list."""
    ids = list(dict.fromkeys(int(m) for m in LIST_ID.findall(page)))[:LIST_BUTTONS]
    buttons = [Button(f"✏️ #{cid}", cb.pack(key, cb.TAGS, cid)) for cid in ids]
    return [buttons[i:i + 4] for i in range(0, len(buttons), 4)]


async def _show(staff: StaffDeps, ctx: Context, cid: int, choice: str | None, callback_id: str,
                message_id: int | None) -> list[StaffAction]:
    form = await corrections.correction_form(db=staff.db, complaint_id=cid,
                                             telegram_user_id=ctx.user_id)
    verdict = decode(choice) if choice is not None else form.current
    text, buttons = editor(ctx.tr, staff.key, form, verdict)
    if choice is None or message_id is None:  # a new editor below the card or list
        return [AnswerCallback(callback_id), ctx.send(text, buttons=buttons)]
    return [AnswerCallback(callback_id), Edit(ctx.who.chat_id, message_id, text,
                                              buttons=buttons)]


def _done_text(ctx: Context, result: CorrectionResult) -> str:
    tr, view = ctx.tr, result.complaint
    c = result.correction
    choice = verdict_text(tr, c.aspects, c.not_complaint) if c else "—"
    if result.outcome == Outcome.PENDING:
        return tr._("📨 Sent: a manager will confirm or reject your correction of complaint "
                    "#{id}. Proposed: {choice}.", id=view.id, choice=choice)
    text = tr._("✅ Corrected: complaint #{id} now has the tags {tags}.", id=view.id,
                tags=tags_text(tr, view.tags) or "—")
    if view.status == "dismissed":
        text += "\n" + tr._("It is not a complaint: it no longer counts in the agent's scores.")
    return text


async def _submit(staff: StaffDeps, ctx: Context, cid: int, choice: str, callback_id: str,
                  message_id: int | None) -> list[StaffAction]:
    verdict = decode(choice)
    result = await corrections.correct_tags(
        db=staff.db, complaint_id=cid, telegram_user_id=ctx.user_id,
        aspects=verdict.as_dict(), not_complaint=verdict.not_complaint)
    if result.outcome == Outcome.UNCHANGED:
        return [AnswerCallback(callback_id, ctx.tr._("These already are the complaint's tags."))]
    toast = None if result.changed else ctx.tr._("Already sent.")
    actions: list[StaffAction] = [AnswerCallback(callback_id, toast)]
    if message_id is not None:
        actions.append(Edit(ctx.who.chat_id, message_id, _done_text(ctx, result)))
    return actions


async def _decide(staff: StaffDeps, ctx: Context, correction_id: int, confirm: bool,
                  callback_id: str, message_id: int | None) -> list[StaffAction]:
    result = await corrections.decide_correction(
        db=staff.db, correction_id=correction_id, manager_telegram_user_id=ctx.user_id,
        confirm=confirm)
    tr, view = ctx.tr, result.complaint
    if result.outcome == Outcome.SUPERSEDED:
        text = tr._("Complaint #{id} no longer counts (voided meanwhile); nothing to confirm.",
                    id=view.id)
    elif result.outcome == Outcome.APPLIED:
        text = tr._("✅ You confirmed the correction: complaint #{id} now has the tags {tags}.",
                    id=view.id, tags=tags_text(tr, view.tags) or "—")
    else:
        text = tr._("✖️ You rejected the correction; complaint #{id} keeps the tags {tags}.",
                    id=view.id, tags=tags_text(tr, view.tags) or "—")
    actions: list[StaffAction] = [AnswerCallback(callback_id, None if result.changed
                                                 else tr._("Already decided."))]
    if message_id is not None:
        actions.append(Edit(ctx.who.chat_id, message_id, text))
    return actions


async def tap(staff: StaffDeps, ctx: Context, parsed: cb.StaffCallback, callback_id: str,
              message_id: int | None) -> list[StaffAction]:
    """Handle the editor's and the manager card's buttons."""
    if not ctx.me.is_staff:
        refused = Forbidden(code=ErrorCode.CORRECTION_NOT_ALLOWED)
        return [AnswerCallback(callback_id, error_text(ctx.tr, refused), alert=True)]
    try:
        if parsed.op == cb.TAGS:
            return await _show(staff, ctx, parsed.int_field(), None, callback_id, message_id)
        if parsed.op == cb.TAG_CHOICE and parsed.fields[1] == CANCEL:
            edit = [Edit(ctx.who.chat_id, message_id, ctx.tr._("Correction cancelled."))
                    ] if message_id is not None else []
            return [AnswerCallback(callback_id), *edit]
        if parsed.op == cb.TAG_CHOICE:
            return await _show(staff, ctx, parsed.int_field(), parsed.fields[1], callback_id,
                               message_id)
        if parsed.op == cb.TAG_SUBMIT:
            return await _submit(staff, ctx, parsed.int_field(), parsed.fields[1], callback_id,
                                 message_id)
        return await _decide(staff, ctx, parsed.int_field(), parsed.op == cb.CONFIRM,
                             callback_id, message_id)
    except DomainError as exc:
        return [AnswerCallback(callback_id, error_text(ctx.tr, exc), alert=True)]
