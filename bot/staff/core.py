"""`Staff`: commands, texts and button taps of agents and managers, plus the owner's
complaint side (/complain, free text outside a survey, the follow-up buttons).

Each entry point returns a list of actions, or None when the input is not for this layer
(the runtime then hands it to the owner conversation).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.conversation.actions import AnswerCallback, Inbound
from bot.conversation.context import Context
from bot.i18n import N_
from bot.menus import chat_menus
from bot.roles import STAFF_COMMANDS, menu_texts, refusal
from bot.staff import (
    agent,
    corrections,
    cycle,
    files,
    manager,
    owner,
    owner_text,
    paging,
    pending,
    reviews,
    revisits,
    templates,
    unreachable,
)
from bot.staff import callbacks as cb
from bot.staff.actions import StaffAction
from bot.staff.deps import StaffDeps
from surveys.people.identity import Identity, identify

log = logging.getLogger(__name__)

INVALID_BUTTON = N_("This button is no longer valid.")
PROMPT_EXPIRED = N_("Sorry, I stopped waiting for that text after {minutes} minutes, so it was "
                    "handled as a new message. To reply or give a reason, tap the button "
                    "(or send the command) again first.")
OWNER_COMMANDS = frozenset({"complain"})


Handler = Callable[[StaffDeps, Context, str], Awaitable[list[StaffAction]]]


@dataclass
class Staff(StaffDeps):
    """Agent and manager chat behaviour shared by every runtime."""

    def context(self, who: Inbound, me: Identity) -> Context:
        """Return the context of one event from its sender's identity (loaded once)."""
        return Context.of(who, me, self.default_locale)

    # --- entry points -----------------------------------------------------------------

    async def after_start(self, ctx: Context) -> list[StaffAction]:
        """After an invite /start: give a bound agent or manager their own command menu."""
        # The invite has just bound a role: read the identity again (this path only).
        me = await identify(db=self.db, telegram_user_id=ctx.user_id)
        if not (me.is_staff or me.is_revisitor):
            return []
        # The stored language (binding stores the client's): the same menus as /language and
        # the start-up refresh build, so no other language code keeps an older menu.
        return list(chat_menus(me, ctx.who.chat_id, me.locale))

    async def on_command(self, ctx: Context, command: str, args: str = ""
                         ) -> list[StaffAction] | None:
        """Handle a staff command (refusing politely by role); None if not one of ours."""
        command = command.lower()
        if command not in STAFF_COMMANDS | OWNER_COMMANDS | {"help", "cancel"}:
            return None
        args = args.strip()
        if command == "complain":
            if (why := refusal(ctx.me, command)) is not None:
                return [ctx.send(ctx.tr._(why))]
            return await owner.complain(self, ctx, args)
        if command == "help":
            return help_(ctx) if ctx.me.is_staff or ctx.me.is_revisitor else None
        if command == "cancel":
            done = await self.pending.cancel(ctx.user_id)
            return [ctx.send(ctx.tr._("Cancelled.") if done else ctx.tr._("Nothing to cancel."))]
        if (why := refusal(ctx.me, command)) is not None:
            return [ctx.send(ctx.tr._(why))]
        if command == "complaints":
            if ctx.me.is_manager:
                return await manager.complaints(self, ctx, args)
            return await agent.complaints(self, ctx, args)
        handler: Handler = {
            "me": agent.me, "appeal": agent.appeal_command,
            "report": manager.report, "agent": manager.agent_detail,
            "appeals": manager.appeals, "export": files.export, "chart": files.chart,
            "close": cycle.close, "payroll": cycle.payroll_command, "how": cycle.how,
            "review": reviews.command, "revisit": revisits.command,
            "unreachable": unreachable.command,
        }[command]
        return await handler(self, ctx, args)

    async def on_text(self, ctx: Context, *, text: str, message_id: int
                      ) -> list[StaffAction] | None:
        """Take a text the bot waits for (reply, reason) or an owner's direct complaint."""
        if text.startswith("/"):
            return None
        waiting = await self.pending.take(ctx.user_id)
        if waiting is not None and not waiting.expired:
            if waiting.kind in (pending.REPLY, pending.APPEAL):
                return await agent.take_text(self, ctx, waiting, text)
            if waiting.kind in (pending.UPHOLD, pending.VOID):
                return await manager.take_reason(self, ctx, waiting, text)
            if waiting.kind.startswith(reviews.NOTE):
                return await reviews.take_note(self, ctx, waiting, text)
            if waiting.kind.startswith(revisits.PROMPT):
                return await revisits.take_words(self, ctx, waiting, text)
            return await owner.take_text(self, ctx, waiting, text)
        handled: list[StaffAction] | None = None
        if ctx.me.owner_id is not None:
            handled = await owner.free_text(self, ctx, text)
        elif ctx.me.is_staff or ctx.me.is_revisitor:
            handled = help_(ctx)
        if waiting is None or handled is None:
            # A survey comment goes on to the owner conversation, which says nothing of it.
            return handled
        expired = ctx.send(ctx.tr._(PROMPT_EXPIRED, minutes=self.pending.minutes))
        return [expired, *handled]

    async def on_callback(self, ctx: Context, *, callback_id: str, data: str | None,
                          message_id: int | None) -> list[StaffAction]:
        """Handle a staff (or follow-up) button tap; every tap is answered."""
        parsed = cb.verify(self.key, data)
        if parsed is None:
            return [AnswerCallback(callback_id, ctx.tr._(INVALID_BUTTON))]
        try:
            if parsed.op in (cb.ACK, cb.REPLY, cb.RESOLVE, cb.APPEAL):
                return await agent.tap(self, ctx, parsed, callback_id, message_id)
            if parsed.op in (cb.FOLLOW_UP, cb.OWNER_REPLY):
                return await owner.tap(self, ctx, parsed, callback_id, message_id)
            if parsed.op == cb.OWNER_TEXT:
                return await owner_text.tap(self, ctx, parsed, callback_id, message_id)
            if parsed.op == cb.HOME:
                return await owner_text.home_tap(self, ctx, parsed, callback_id, message_id)
            if parsed.op == cb.HOME_PAGE:
                return await owner_text.home_page(self, ctx, parsed, callback_id, message_id)
            if parsed.op in (cb.UPHOLD, cb.VOID):
                return await manager.tap(self, ctx, parsed, callback_id)
            if parsed.op in (cb.TAGS, cb.TAG_CHOICE, cb.TAG_SUBMIT, cb.CONFIRM, cb.REJECT):
                return await corrections.tap(self, ctx, parsed, callback_id, message_id)
            if parsed.op == cb.TEMPLATE:
                return await templates.pick(self, ctx, parsed, callback_id, message_id)
            if parsed.op == cb.PAGE:
                return await paging.turn(self, ctx, parsed, callback_id, message_id)
            if parsed.op == cb.CLOSE:
                return await cycle.tap(self, ctx, parsed, callback_id, message_id)
            if parsed.op == cb.REVIEW:
                return await reviews.tap(self, ctx, parsed, callback_id, message_id)
            if parsed.op == cb.REVISIT:
                return await revisits.tap(self, ctx, parsed, callback_id, message_id)
        except (ValueError, IndexError):
            pass
        return [AnswerCallback(callback_id, ctx.tr._(INVALID_BUTTON))]


def help_(ctx: Context) -> list[StaffAction]:
    """List the sender's commands."""
    lines = [ctx.tr._("Your commands:")]
    lines += [f"/{command} - {text}" for command, text in menu_texts(ctx.me, ctx.tr)]
    return [ctx.send("\n".join(lines))]
