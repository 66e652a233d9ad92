"""One inbound event as both layers see it: who wrote, who they are, and their language."""

from __future__ import annotations

import html
from dataclasses import dataclass

from bot.conversation.actions import Inbound, Send
from bot.i18n import Translator, pick_locale, translator
from surveys.outbox.ports import Keyboard, OutgoingMessage
from surveys.people.identity import Identity


@dataclass(frozen=True)
class Context:
    """The sender, their identity (loaded once per update) and a translator for them."""

    who: Inbound
    tr: Translator
    me: Identity

    @classmethod
    def of(cls, who: Inbound, me: Identity, default_locale: str) -> Context:
        """Build the context: the stored language, else the client's, else the default."""
        locale = me.locale or pick_locale(who.language_code, default_locale)
        return cls(who=who, tr=translator(locale), me=me)

    @property
    def locale(self) -> str:
        return self.tr.locale

    @property
    def user_id(self) -> int:
        return self.who.user_id

    @property
    def owner_id(self) -> int | None:
        return self.me.owner_id

    def send(self, text: str, *, buttons: Keyboard | None = None, pre: bool = False,
             request_contact: str | None = None, remove_reply_keyboard: bool = False) -> Send:
        """Send text to the sender's chat; `pre` shows it monospaced (tables)."""
        extra: dict[str, str] = {}
        if pre:
            text = f"<pre>{html.escape(text)}</pre>"
            extra["parse_mode"] = "HTML"
        return Send(OutgoingMessage(chat_id=self.who.chat_id, text=text, buttons=buttons,
                                    request_contact=request_contact,
                                    remove_reply_keyboard=remove_reply_keyboard, extra=extra))
