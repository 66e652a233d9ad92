"""The framework-free owner conversation: plain input in, a list of reply actions out.

Both runtimes (aiogram, python-telegram-bot) call `Conversation`; each adapter only turns an
update into these calls and the returned actions into Bot API calls.
"""

from __future__ import annotations

import logging
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

from bot import callbacks
from bot.conversation import binding, language, misc, privacy, survey
from bot.conversation.actions import Action, AnswerCallback, Inbound, Send
from bot.conversation.context import Context
from bot.conversation.deps import ConversationDeps
from bot.conversation.throttle import Throttle
from bot.i18n import DEFAULT_LOCALE, N_, Translator, pick_locale, translator
from surveys.core import handled_updates
from surveys.core.handled_updates import UpdateClaim
from surveys.outbox.ports import OutgoingMessage
from surveys.people.identity import Identity

log = logging.getLogger(__name__)

GENERIC_ERROR = N_("Sorry, something went wrong on our side. Please try again later.")


@dataclass
class Conversation(ConversationDeps):
    """Owner-facing chat behaviour shared by every runtime."""

    default_locale: str = DEFAULT_LOCALE
    throttle: Throttle = field(default_factory=Throttle)
    in_flight: set[tuple[int, int]] = field(default_factory=set)  # (bot id, update id)

    # --- shared plumbing ---------------------------------------------------------------

    def context(self, who: Inbound, me: Identity) -> Context:
        """Return the context of one event from its sender's identity (loaded once)."""
        return Context.of(who, me, self.default_locale)

    async def claim_update(self, *, bot_id: int, update_id: int) -> UpdateClaim | None:
        """Claim this update for handling here; None when it was handled (on any replica)."""
        return await handled_updates.claim_update(db=self.db, bot_id=bot_id, update_id=update_id)

    def keep_claim(self, claim: UpdateClaim) -> AbstractAsyncContextManager[None]:
        """Renew the claim while the update is handled, so no replica takes it over."""
        return handled_updates.kept(db=self.db, claim=claim)

    async def finish_update(self, claim: UpdateClaim) -> None:
        """Remember that this update was handled."""
        await handled_updates.finish_update(db=self.db, claim=claim)

    async def release_update(self, claim: UpdateClaim) -> None:
        """Give the update back after a failure: a redelivery is handled afresh."""
        await handled_updates.release_update(db=self.db, claim=claim)

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

    async def on_command(self, ctx: Context, command: str, args: str = "") -> list[Action]:
        """Handle /start, /stop, /help, /language and unknown commands."""
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

    async def on_contact(self, ctx: Context, *, phone: str, contact_user_id: int | None
                         ) -> list[Action]:
        """Handle a shared phone contact."""
        return await binding.contact(self, ctx, phone=phone, contact_user_id=contact_user_id)

    async def on_text(self, ctx: Context, *, text: str, message_id: int) -> list[Action]:
        """Handle a plain text message (a survey comment, or chatter)."""
        if text.startswith("/"):
            return misc.unknown_command(ctx)
        return await survey.comment(self, ctx, text=text, message_id=message_id)

    async def on_callback(self, ctx: Context, *, callback_id: str, data: str | None,
                          message_id: int | None) -> list[Action]:
        """Handle an inline button tap; the result always answers the callback."""
        parsed = callbacks.verify(self.key, data)
        if parsed is not None and parsed.kind == callbacks.LANGUAGE:
            return await language.tap(self, ctx, callback_id=callback_id, locale=parsed.value,
                                      message_id=message_id)
        return await survey.tap(self, ctx, callback_id=callback_id, data=data,
                                message_id=message_id)

    async def on_unsupported(self, ctx: Context, kind: str = "other") -> list[Action]:
        """Handle stickers, photos, voice and anything else the bot cannot read."""
        return misc.unsupported(ctx, kind)

    def attachment_not_kept(self, ctx: Context) -> list[Action]:
        """Tell the sender their caption is read but the photo or file itself is not kept."""
        return misc.attachment_not_kept(ctx)
