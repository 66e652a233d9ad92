"""/forget: an owner erases their personal data; ratings stay, anonymously."""

from __future__ import annotations

from bot.conversation.actions import Action
from bot.conversation.context import Context
from bot.conversation.deps import ConversationDeps
from surveys.survey.forget import forget_owner

CONFIRM = {"yes", "y", "确认", "是", "是的"}


async def forget(conv: ConversationDeps, ctx: Context, args: str) -> list[Action]:
    """Explain what /forget erases; with `yes`, erase it."""
    tr = ctx.tr
    if args.strip().lower() not in CONFIRM:
        return [
            ctx.send(
                tr._(
                    "This erases your name, phone number, home and Telegram account from our "
                    "records and stops all surveys. Your past ratings stay in the statistics "
                    "without your name. To confirm, send: /forget yes"
                )
            )
        ]
    if await forget_owner(db=conv.db, telegram_user_id=ctx.who.user_id) is None:
        return [ctx.send(tr._("We hold no personal data linked to this Telegram account."))]
    return [
        ctx.send(
            tr._(
                "Done: your personal data has been erased and you will get no more surveys. "
                "Send /start if you ever want to bind your home again."
            )
        )
    ]
