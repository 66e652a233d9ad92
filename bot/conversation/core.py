"""The framework-free owner conversation: plain input in, a list of reply actions out.

Both runtimes (aiogram, python-telegram-bot) call `Conversation`; each adapter only turns an
update into these calls and the returned actions into Bot API calls.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from bot.conversation import dedupe
from bot.conversation.actions import Action, AnswerCallback, Inbound, Send
from bot.conversation.throttle import Throttle
from bot.i18n import DEFAULT_LOCALE, N_, Translator, pick_locale, translator
from surveys.core.config import ComplaintConfig, SurveyConfig
from surveys.core.db import SessionFactory
from surveys.core.errors import NotBound
from surveys.outbox.ports import OutgoingMessage

log = logging.getLogger(__name__)

GENERIC_ERROR = N_("Sorry, something went wrong on our side. Please try again later.")


@dataclass
class Context:
    """One inbound event with its resolved locale and the caller's identity (if bound)."""

    who: Inbound
    tr: Translator
    identity: Any = None

    @property
    def locale(self) -> str:
        return self.tr.locale

    @property
    def owner_id(self) -> int | None:
        return _owner_id(self.identity)

    def send(self, text: str, **kwargs: Any) -> Send:
        """Build a Send action to the caller's chat."""
        return Send(OutgoingMessage(chat_id=self.who.chat_id, text=text, **kwargs))


def _owner_id(identity: Any) -> int | None:
    if identity is None:
        return None
    value = getattr(identity, "owner_id", None)
    return int(value) if value is not None else None


@dataclass
class Conversation:
    """Owner-facing chat behaviour shared by every runtime."""

    db: SessionFactory
    key: bytes
    invite_secret: str
    survey_config: SurveyConfig = field(default_factory=SurveyConfig)
    complaint_config: ComplaintConfig = field(default_factory=ComplaintConfig)
    default_locale: str = DEFAULT_LOCALE
    throttle: Throttle = field(default_factory=Throttle)
    in_flight: set[tuple[int, int]] = field(default_factory=set)  # (bot id, update id)

    # --- shared plumbing ---------------------------------------------------------------

    async def already_handled(self, *, bot_id: int, update_id: int) -> bool:
        """Tell whether this update was handled before."""
        return await dedupe.already_handled(db=self.db, bot_id=bot_id, update_id=update_id)

    async def mark_handled(self, *, bot_id: int, update_id: int) -> None:
        """Remember that this update was handled."""
        await dedupe.mark_handled(db=self.db, bot_id=bot_id, update_id=update_id)

    async def context(self, who: Inbound) -> Context:
        """Resolve the caller's identity and locale (stored language, else Telegram's)."""
        from surveys.people.binding import whoami

        identity: Any = None
        try:
            identity = await whoami(db=self.db, telegram_user_id=who.user_id)
        except NotBound:
            identity = None
        stored = getattr(identity, "locale", None) or getattr(identity, "language", None)
        locale = stored or pick_locale(who.language_code, self.default_locale)
        return Context(who=who, tr=translator(locale), identity=identity)

    def translator_for(self, who: Inbound) -> Translator:
        """Return a translator from the client's language alone (no database)."""
        return translator(pick_locale(who.language_code, self.default_locale))

    def generic_error(self, who: Inbound, callback_id: str | None = None) -> list[Action]:
        """Return the polite reply to an unexpected failure."""
        tr = self.translator_for(who)
        if callback_id is not None:
            return [AnswerCallback(callback_id, tr._(GENERIC_ERROR), alert=False)]
        return [Send(OutgoingMessage(chat_id=who.chat_id, text=tr._(GENERIC_ERROR)))]

    def admit(self, who: Inbound, callback_id: str | None = None) -> list[Action] | None:
        """Apply the per-user rate limit: None to go on, else the (maybe empty) reply."""
        allowed, warn = self.throttle.check(who.user_id)
        if allowed:
            return None
        tr = self.translator_for(who)
        text = tr._("You're sending messages a little fast. Please wait a moment.")
        if callback_id is not None:
            return [AnswerCallback(callback_id, text)]
        return [Send(OutgoingMessage(chat_id=who.chat_id, text=text))] if warn else []

    # --- entry points (one per kind of input) -------------------------------------------

    async def on_command(self, who: Inbound, command: str, args: str = "") -> list[Action]:
        """Handle /start, /stop, /help, /language and unknown commands."""
        from bot.conversation import binding, language, misc, privacy

        if (blocked := self.admit(who)) is not None:
            return blocked
        ctx = await self.context(who)
        handler = {
            "start": binding.start,
            "stop": misc.stop,
            "help": misc.help_,
            "forget": privacy.forget,
            "language": language.command,
        }.get(command.lower())
        if handler is None:
            return misc.unknown_command(ctx)
        return await handler(self, ctx, args.strip())

    async def on_contact(self, who: Inbound, *, phone: str, contact_user_id: int | None
                         ) -> list[Action]:
        """Handle a shared phone contact."""
        from bot.conversation import binding

        if (blocked := self.admit(who)) is not None:
            return blocked
        ctx = await self.context(who)
        return await binding.contact(self, ctx, phone=phone, contact_user_id=contact_user_id)

    async def on_text(self, who: Inbound, *, text: str, message_id: int) -> list[Action]:
        """Handle a plain text message (a survey comment, or chatter)."""
        from bot.conversation import misc, survey

        if (blocked := self.admit(who)) is not None:
            return blocked
        ctx = await self.context(who)
        if text.startswith("/"):
            return misc.unknown_command(ctx)
        return await survey.comment(self, ctx, text=text, message_id=message_id)

    async def on_callback(self, who: Inbound, *, callback_id: str, data: str | None,
                          message_id: int | None) -> list[Action]:
        """Handle an inline button tap; the result always answers the callback."""
        from bot import callbacks
        from bot.conversation import language, survey

        if (blocked := self.admit(who, callback_id)) is not None:
            return blocked
        ctx = await self.context(who)
        parsed = callbacks.verify(self.key, data)
        if parsed is not None and parsed.kind == callbacks.LANGUAGE:
            return await language.tap(self, ctx, callback_id=callback_id, locale=parsed.value,
                                      message_id=message_id)
        return await survey.tap(self, ctx, callback_id=callback_id, data=data,
                                message_id=message_id)

    async def on_unsupported(self, who: Inbound, kind: str = "other") -> list[Action]:
        """Handle stickers, photos, voice and anything else the bot cannot read."""
        from bot.conversation import misc

        if (blocked := self.admit(who)) is not None:
            return blocked
        ctx = await self.context(who)
        return misc.unsupported(ctx, kind)
