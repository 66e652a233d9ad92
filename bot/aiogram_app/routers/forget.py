"""/forget: an owner erases their personal data (ratings stay, anonymously)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.aiogram_app.middlewares import inbound
from bot.aiogram_app.replies import perform
from bot.conversation import Conversation, Send
from surveys.ports import OutgoingMessage

CONFIRM = {"yes", "y", "确认", "是", "是的"}


def build() -> Router:
    """Return the router of /forget."""
    router = Router(name="forget")

    @router.message(Command("forget"))
    async def forget(
        message: Message, bot: Bot, conversation: Conversation, command: CommandObject
    ) -> None:
        from surveys.privacy import forget_owner

        who = inbound(message.from_user, message.chat.id)
        if who is None:
            return
        if (blocked := conversation.admit(who)) is not None:
            await perform(bot, blocked)
            return
        tr = conversation.translator_for(who)
        if (command.args or "").strip().lower() not in CONFIRM:
            text = tr._(
                "This erases your name, phone number, home and Telegram account from our "
                "records and stops all surveys. Your past ratings stay in the statistics "
                "without your name. To confirm, send: /forget yes"
            )
        elif await forget_owner(db=conversation.db, telegram_user_id=who.user_id) is None:
            text = tr._("We hold no personal data linked to this Telegram account.")
        else:
            text = tr._(
                "Done: your personal data has been erased and you will get no more surveys. "
                "Send /start if you ever want to bind your home again."
            )
        await perform(bot, [Send(OutgoingMessage(chat_id=who.chat_id, text=text))])

    return router
