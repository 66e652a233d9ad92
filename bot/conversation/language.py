"""/language for everyone: two buttons (中文 / English) or `/language en|zh`.

A bound account's choice is stored and its chat menu follows; an unbound user only gets
this one reply in the chosen language (nothing is stored).
"""

from __future__ import annotations

from bot import callbacks
from bot.conversation.actions import Action, AnswerCallback, Edit
from bot.conversation.context import Context
from bot.conversation.deps import ConversationDeps
from bot.i18n import N_, Translator, translator
from bot.menus import chat_menus
from surveys.outbox.ports import Button, Keyboard
from surveys.people.language import LANGUAGES, choose_language

LABELS = {"zh_CN": "中文", "en": "English"}  # each in its own language, never translated
ALIASES = {"zh": "zh_CN", "zh_cn": "zh_CN", "zh-cn": "zh_CN", "cn": "zh_CN", "中文": "zh_CN",
           "chinese": "zh_CN", "en": "en", "english": "en", "英文": "en"}

PROMPT = N_("Choose your language:")
BAD_ARGUMENT = N_("Sorry, I don't know that language. Send /language en or /language zh, "
                  "or tap a button:")
CHOSEN = N_("Language set: English. Replies, surveys and the command menu now use it.")
ALREADY = N_("English is already your language.")
UNBOUND = N_("I'll answer in English. Bind your home with /start so that I can remember it.")


def keyboard(key: bytes, current: str | None = None) -> Keyboard:
    """Return the two language buttons, the current one ticked."""
    return [[Button(("✅ " if code == current else "") + LABELS[code],
                    callback_data=callbacks.language(key, code)) for code in LANGUAGES]]


async def command(conv: ConversationDeps, ctx: Context, args: str) -> list[Action]:
    """Show the buttons, or apply `/language en|zh`; a bad argument gets a short reply."""
    if not args:
        return [ctx.send(ctx.tr._(PROMPT), buttons=keyboard(conv.key, ctx.me.locale))]
    locale = ALIASES.get(args.strip().lower())
    if locale is None:
        return [ctx.send(ctx.tr._(BAD_ARGUMENT), buttons=keyboard(conv.key))]
    text, menus = await _apply(conv, ctx, locale)
    # Menu first: the confirmation says the menu already uses the new language.
    return [*menus, ctx.send(text or translator(locale)._(ALREADY))]


async def tap(conv: ConversationDeps, ctx: Context, *, callback_id: str, locale: str | None,
              message_id: int | None) -> list[Action]:
    """Apply a language button: confirm in the new language by editing the message."""
    if locale not in LANGUAGES:
        return [AnswerCallback(callback_id, ctx.tr._("This button is no longer valid."))]
    assert locale is not None
    text, menus = await _apply(conv, ctx, locale)
    if text is None:  # the same choice again: nothing changes
        return [AnswerCallback(callback_id, translator(locale)._(ALREADY))]
    actions: list[Action] = [AnswerCallback(callback_id), *menus]
    if message_id is not None:
        actions.append(Edit(ctx.who.chat_id, message_id, text,
                            buttons=keyboard(conv.key, locale)))
    return actions


async def _apply(conv: ConversationDeps, ctx: Context, locale: str
                 ) -> tuple[str | None, list[Action]]:
    """Store the choice; return the confirmation (None when unchanged) and menu actions."""
    tr: Translator = translator(locale)
    choice = await choose_language(db=conv.db, telegram_user_id=ctx.who.user_id,
                                   language=locale)
    if not choice.bound:
        return tr._(UNBOUND), []
    if not choice.changed:
        return None, []
    return tr._(CHOSEN), list(chat_menus(ctx.me, ctx.who.chat_id, locale))
