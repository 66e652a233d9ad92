"""Paginated report views: built from the view name and argument (`bot.staff.views` builds
the text), cut into pages with previous / next buttons. A page turn reuses the report text
sent a few minutes before, by any replica (`page_texts`), else builds it again; access is
checked every tap.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from bot.conversation.actions import AnswerCallback
from bot.conversation.context import Context
from bot.i18n import N_
from bot.staff import callbacks as cb
from bot.staff import corrections
from bot.staff.actions import Edit, StaffAction
from bot.staff.deps import StaffDeps
from bot.staff.page_texts import recall, remember
from bot.staff.pages import paginate
from bot.staff.views import ViewRefused, build_text, check_access
from surveys.outbox.ports import Button, Keyboard

BAD_PERIOD = N_("Sorry, I don't understand the period “{text}”. Try: week, month, last-week, "
                "2026-11 or 2026-W47.")


def clip(text: str, limit: int = 40) -> str:
    """Shorten what a person typed before quoting it back (a reply must fit one message)."""
    return text if len(text) <= limit else text[:limit] + "…"


def turns(ctx: Context, page: int, total: int, data: Callable[[int], str]) -> list[Button]:
    """Return the row "◀️ Previous · page/total · Next ▶️" (`data` packs a page's tap)."""
    row = []
    if page > 1:
        row.append(Button("◀️ " + ctx.tr._("Previous"), data(page - 1)))
    row.append(Button(f"{page}/{total}", data(page)))
    if page < total:
        row.append(Button(ctx.tr._("Next") + " ▶️", data(page + 1)))
    return row


def nav(staff: StaffDeps, ctx: Context, view: str, arg: str, page: int, total: int
        ) -> Keyboard | None:
    """Return the previous / next buttons (none for a single page)."""
    if total <= 1:
        return None
    return [turns(ctx, page, total, lambda to: cb.pack(staff.key, cb.PAGE, view, arg, to))]


def keyboard(staff: StaffDeps, ctx: Context, view: str, arg: str, page: int, pages: list[str]
             ) -> Keyboard | None:
    """Page buttons; on the manager's complaint list also a ✏️ button per complaint shown."""
    rows = nav(staff, ctx, view, arg, page, len(pages)) or []
    if view == "cpl":
        rows = corrections.list_buttons(ctx, staff.key, pages[page - 1]) + rows
    return rows or None


async def first_page(staff: StaffDeps, ctx: Context, view: str, arg: str
                     ) -> list[StaffAction]:
    """Send page 1 of a view with its page buttons."""
    try:
        text = await build_text(staff, ctx, view, arg)
    except ValueError:
        return [ctx.send(ctx.tr._(BAD_PERIOD, text=clip(arg.rpartition("~")[2])))]
    except ViewRefused:
        return [ctx.send(ctx.tr._("Sorry, you may not see this."))]
    await remember(staff.db, ctx, view, arg, text)
    pages = paginate(text)
    return [ctx.send(pages[0], buttons=keyboard(staff, ctx, view, arg, 1, pages), pre=True)]


async def turn(staff: StaffDeps, ctx: Context, parsed: cb.StaffCallback, callback_id: str,
               message_id: int | None) -> list[StaffAction]:
    """Show another page of a view in place."""
    view, arg, page = parsed.fields[0], parsed.fields[1], int(parsed.fields[2])
    try:
        await check_access(staff, ctx, view, arg)  # on every tap, also for a stored text
        text = await recall(staff.db, ctx, view, arg)
        if text is None:
            text = await build_text(staff, ctx, view, arg)
    except ViewRefused:
        return [AnswerCallback(callback_id, ctx.tr._("Sorry, you may not see this."))]
    pages = paginate(text)
    page = max(1, min(page, len(pages)))
    actions: list[StaffAction] = [AnswerCallback(callback_id)]
    if message_id is not None:
        actions.append(Edit(
            ctx.who.chat_id, message_id, f"<pre>{html.escape(pages[page - 1])}</pre>",
            buttons=keyboard(staff, ctx, view, arg, page, pages),
            parse_mode="HTML"))
    return actions
