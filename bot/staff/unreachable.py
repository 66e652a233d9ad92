"""`/unreachable ID note`: a manager or 回访 staff closes a resolved complaint whose owner
cannot be reached, saying which attempts were made (surveys.complaints.unreachable_close)."""

from __future__ import annotations

from bot.conversation.context import Context
from bot.i18n import N_
from bot.render.alerts import local_time, status_text
from bot.render.errors import error_text
from bot.staff.actions import StaffAction
from bot.staff.deps import StaffDeps
from surveys.complaints.unreachable_close import (
    Role,
    UnreachableTooEarly,
    close_unreachable,
)
from surveys.core.errors import DomainError
from surveys.core.ids import may_name_a_row

USAGE = N_("Usage: /unreachable ID note — after the owner could not be reached for the "
           "follow-up, e.g. /unreachable 12 called 3 times on 12-01 and 12-02, no answer.")


async def command(staff: StaffDeps, ctx: Context, args: str) -> list[StaffAction]:
    """Close the complaint as owner unreachable, or say politely why not."""
    tr, me = ctx.tr, ctx.me
    number, _, note = args.strip().partition(" ")
    number = number.removeprefix("#")
    if not number.isdecimal() or not may_name_a_row(int(number)):
        return [ctx.send(tr._(USAGE))]
    role: Role = "manager" if me.manager_id is not None else "revisitor"
    staff_id = me.manager_id if role == "manager" else me.revisitor_id
    assert staff_id is not None  # bot.roles lets only managers and 回访 staff through
    try:
        done = await close_unreachable(db=staff.db, complaint_id=int(number), role=role,
                                       staff_id=staff_id, note=note,
                                       config=staff.complaint_config)
    except DomainError as exc:
        return [ctx.send(refusal(ctx, exc))]
    if not done.changed:
        return [ctx.send(tr._("Complaint #{id} is already closed as owner unreachable.",
                              id=done.complaint_id))]
    return [ctx.send(tr._(
        "Complaint #{id} is closed: owner unreachable (your note is kept with your name and "
        "the time). For {agent} it still counts as resolved; with no answer it leaves the "
        "follow-up satisfaction share, so no figure changes.",
        id=done.complaint_id, agent=done.agent_name or tr._("nobody")))]


def refusal(ctx: Context, exc: DomainError) -> str:
    """Say why the complaint cannot be closed so (times and states in the reader's words)."""
    values: dict[str, str | int | None] = {}
    if isinstance(exc, UnreachableTooEarly):
        values = {"asked": local_time(exc.asked), "until": local_time(exc.until)}
    if "status" in exc.fields:
        values["status"] = status_text(ctx.tr, str(exc.fields["status"]))
    return error_text(ctx.tr, exc, **values)
