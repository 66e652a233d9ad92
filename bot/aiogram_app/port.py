"""The aiogram `bot.runtime.ChatPort`: the Messenger plus tap answers, menus, parse modes."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import BotCommand, BotCommandScopeChat

from bot.aiogram_app.keyboards import inline_markup, message_markup
from bot.aiogram_app.messenger import AiogramMessenger, _call, reply_parameters
from bot.runtime.delivery import answer_quietly
from bot.runtime.fit import fit, fit_toast
from surveys.outbox.ports import (
    Keyboard,
    OutgoingMessage,
)


class AiogramPort(AiogramMessenger):
    """Replies to updates with an aiogram `Bot`; errors are the `surveys.outbox.ports` ones."""

    async def send(self, message: OutgoingMessage, *, parse_mode: str | None = None) -> int:
        """Send a text message (with its keyboard) and return its message_id."""
        sent = await _call(lambda: self.bot.send_message(
            chat_id=message.chat_id, text=fit(message.text, parse_mode), parse_mode=parse_mode,
            reply_markup=message_markup(message), reply_parameters=reply_parameters(message),
        ))
        return sent.message_id

    async def edit(self, *, chat_id: int, message_id: int, text: str,
                   buttons: Keyboard | None = None, parse_mode: str | None = None) -> None:
        """Replace a message's text and inline keyboard (no buttons removes the keyboard)."""
        await _call(lambda: self.bot.edit_message_text(
            chat_id=chat_id, message_id=message_id, text=fit(text, parse_mode),
            parse_mode=parse_mode,
            reply_markup=inline_markup(buttons),
        ))

    async def answer_callback(self, callback_id: str, text: str | None = None,
                              alert: bool = False) -> None:
        """Answer a button tap; a refused answer (too old, answered) is only logged."""
        await answer_quietly(lambda: _call(lambda: self.bot.answer_callback_query(
            callback_id, text=fit_toast(text), show_alert=alert)))

    async def set_commands(self, commands: Sequence[tuple[str, str]], *,
                           language_code: str | None = None, chat_id: int | None = None
                           ) -> None:
        """Set the command menu for everyone, or for one chat."""
        scope = BotCommandScopeChat(chat_id=chat_id) if chat_id is not None else None
        await self.bot.set_my_commands(
            [BotCommand(command=c, description=d) for c, d in commands],
            scope=scope, language_code=language_code)

    async def delete_commands(self, *, language_code: str | None = None,
                              chat_id: int | None = None) -> None:
        """Delete the command menu for everyone, or for one chat (deleteMyCommands)."""
        scope = BotCommandScopeChat(chat_id=chat_id) if chat_id is not None else None
        await self.bot.delete_my_commands(scope=scope, language_code=language_code)
