"""/stop, /help, unknown commands and messages the bot cannot read."""

from __future__ import annotations

from bot.conversation.actions import Action
from bot.conversation.context import Context
from bot.conversation.deps import ConversationDeps
from bot.render.errors import NOT_BOUND
from surveys.people.binding import opt_out


async def stop(conv: ConversationDeps, ctx: Context, args: str) -> list[Action]:
    """Opt the owner out of surveys, with a confirmation."""
    tr = ctx.tr
    if ctx.owner_id is None:
        return [ctx.send(tr._(NOT_BOUND))]
    await opt_out(db=conv.db, telegram_user_id=ctx.who.user_id)
    return [ctx.send(tr._("You will no longer receive surveys. Send /start any time to "
                          "receive them again."))]


async def help_(conv: ConversationDeps, ctx: Context, args: str) -> list[Action]:
    """Explain what the bot does and its commands."""
    tr = ctx.tr
    return [ctx.send(tr._("After each completed work order I send you a short satisfaction "
                          "survey: tap the stars, and write a comment if you like.\n"
                          "/start - bind your home or resume surveys\n"
                          "/stop - stop receiving surveys\n"
                          "/language - choose 中文 or English\n"
                          "/help - show this help"))]


def unknown_command(ctx: Context) -> list[Action]:
    """Politely refuse a command the bot does not know."""
    return [ctx.send(ctx.tr._("Sorry, I don't know that command. Send /help to see what I "
                              "can do."))]


def unsupported(ctx: Context, kind: str) -> list[Action]:
    """Politely refuse stickers, photos, voice and other content."""
    return [ctx.send(ctx.tr._("Sorry, I can only read text messages and button taps."))]


def attachment_not_kept(ctx: Context) -> list[Action]:
    """Say the caption's words are taken but the photo, video or file is not kept."""
    # Said first, so the answer to the words (often with buttons) stays the last message.
    return [ctx.send(ctx.tr._("I have your words, but I cannot keep the photo, video or file "
                              "itself. If what it shows matters, please describe it in words "
                              "or call the property service centre."))]
