"""Per-person command menus: built in the person's language, refreshed at start-up.

Telegram shows a private chat the first menu found among: that chat with the client's
language, that chat for any language, then the bot-wide ones. Owners normally keep the
bot-wide menu (one per client language); an owner with a stored language gets a chat menu
for any language. Agents and managers get theirs for every language code (any, zh, en), all
in the stored language, so no older per-language menu wins over it; binding, /language and
the refresh all build them with `chat_menus`.

The start-up refresh runs once per menu version (the commands and their translations), across
restarts and replicas: binding and /language set a person's menu themselves, so only a deploy
that changes the menus needs every chat rewritten.

A person who stops being staff (deactivated on the command line, where no bot may run) has a
pending reset in `surveys.people.menu_resets`: at start-up and then every minute the bot deletes
their staff chat menus and gives them what their remaining roles get (an owner's menu, or the
bot-wide one), so the refresh need not run again for them.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.conversation.actions import SetChatMenu
from bot.i18n import DEFAULT_LOCALE, N_, translator
from bot.roles import menu_texts
from surveys.core.db import SessionFactory
from surveys.core.locks import claim_slot, finish_slot
from surveys.outbox.limits import Limiter
from surveys.people.identity import Identity, identify
from surveys.people.language import MenuTarget, menu_targets
from surveys.people.menu_resets import claim_menu_resets, finish_menu_reset

log = logging.getLogger(__name__)

OWNER_COMMANDS = (
    ("start", N_("Bind your home or resume surveys")),
    ("stop", N_("Stop receiving surveys")),
    ("language", N_("Change the language (中文 / English)")),
    ("help", N_("What this bot does")),
)
STAFF_LANGUAGE_CODES: tuple[str | None, ...] = (None, "zh", "en")
MAX_ATTEMPTS = 3  # per Bot API call: a 429 is waited out, then tried again
# The job ledger's slot for "this menu version was rolled out" (one row per version).
VERSION_SLOT = datetime(2000, 1, 1)


def owner_menu(locale: str) -> tuple[tuple[str, str], ...]:
    """Return the owners' menu with descriptions in this locale."""
    tr = translator(locale)
    return tuple((command, tr._(description)) for command, description in OWNER_COMMANDS)


def chat_menus(me: Identity, chat_id: int, locale: str | None) -> list[SetChatMenu]:
    """Return the menu actions of one chat; none for an owner without a stored language."""
    if me.is_staff or me.is_revisitor:
        if locale is None:  # no choice stored: each client language gets its own
            zh, en = (tuple(menu_texts(me, translator(x))) for x in (DEFAULT_LOCALE, "en"))
            return [SetChatMenu(chat_id, zh, (None, "zh")), SetChatMenu(chat_id, en, ("en",))]
        return [SetChatMenu(chat_id, tuple(menu_texts(me, translator(locale))),
                            STAFF_LANGUAGE_CODES)]
    if me.owner_id is not None and locale is not None:
        return [SetChatMenu(chat_id, owner_menu(locale))]
    return []


def identity_of(target: MenuTarget) -> Identity:
    """Return the roles of a menu target as the staff layer sees them."""
    return Identity(telegram_user_id=target.telegram_user_id, agent_id=target.agent_id,
                         manager_id=target.manager_id, owner_id=target.owner_id,
                         revisitor_id=target.revisitor_id, locale=target.language)


class MenuPort(Protocol):
    """The Bot API calls a chat's command menu needs (`ChatPort` has them too)."""

    async def set_commands(self, commands: Sequence[tuple[str, str]], *,
                           language_code: str | None = None, chat_id: int | None = None
                           ) -> None:
        """Set the command menu for everyone, or for one chat."""
        ...

    async def delete_commands(self, *, language_code: str | None = None,
                              chat_id: int | None = None) -> None:
        """Delete the command menu for everyone, or for one chat (deleteMyCommands)."""
        ...


@dataclass
class RefreshStats:
    """What a start-up refresh did."""

    chats: int = 0
    calls: int = 0
    failed_chats: int = 0
    rate_limited: int = 0
    completed: bool = False
    skipped: bool = False  # this menu version was already rolled out (or is being, elsewhere)
    resets: int = 0  # chats of people who stopped being staff, reset to their remaining roles


def menus_version() -> str:
    """Return a short hash of every menu in every language (changes when a deploy does)."""
    roles = (
        Identity(telegram_user_id=0, agent_id=1),
        Identity(telegram_user_id=0, manager_id=1),
        Identity(telegram_user_id=0, agent_id=1, manager_id=1),
    )
    menus = {
        locale: [owner_menu(locale), *(menu_texts(me, translator(locale)) for me in roles)]
        for locale in (DEFAULT_LOCALE, "en")
    }
    blob = json.dumps(menus, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def _retry_after(exc: BaseException) -> float | None:
    # aiogram's TelegramRetryAfter and PTB's RetryAfter both carry `retry_after`
    # (PTB as a timedelta when PTB_TIMEDELTA is on); the domain's RetryLater does too.
    value = getattr(exc, "retry_after", None)
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) if isinstance(value, int | float) else None


async def _call(port_call: Callable[[], Awaitable[None]], chat_id: int, *,
                limiter: Limiter | None, stats: RefreshStats) -> bool:
    """Make one chat-menu call, waiting out a 429; False when Telegram refused the chat."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        if limiter is not None:
            await limiter.acquire()
        try:
            stats.calls += 1
            await port_call()
            return True
        except Exception as exc:
            wait = _retry_after(exc)
            if wait is not None and attempt < MAX_ATTEMPTS:
                stats.rate_limited += 1
                if limiter is not None:
                    limiter.pause(chat_id, wait, whole_bot=True)
                else:
                    await asyncio.sleep(wait)
                continue
            # Blocked bot, chat not found: this chat keeps its old menu, the rest go on.
            log.warning("could not set the menu of chat %s: %s", chat_id, exc)
            return False
    return False


async def set_menu(port: MenuPort, action: SetChatMenu, *, limiter: Limiter | None = None,
                   stats: RefreshStats | None = None) -> bool:
    """Set one chat's menu for each language code; False when Telegram refused the chat."""
    stats = stats if stats is not None else RefreshStats()
    items = [(command, text[:256]) for command, text in action.commands]
    for code in action.language_codes:
        def call(code: str | None = code) -> Awaitable[None]:
            return port.set_commands(items, language_code=code, chat_id=action.chat_id)

        if not await _call(call, action.chat_id, limiter=limiter, stats=stats):
            return False
    return True


async def reset_menu(port: MenuPort, me: Identity, chat_id: int, *, limiter: Limiter | None = None,
                     stats: RefreshStats | None = None) -> bool:
    """Give a chat the menus of the roles its person holds now, deleting staff leftovers."""
    stats = stats if stats is not None else RefreshStats()
    actions = chat_menus(me, chat_id, me.locale)
    kept = {code for action in actions for code in action.language_codes}
    for code in STAFF_LANGUAGE_CODES:  # every code a staff menu may have been set for
        if code in kept:
            continue

        def call(code: str | None = code) -> Awaitable[None]:
            return port.delete_commands(language_code=code, chat_id=chat_id)

        if not await _call(call, chat_id, limiter=limiter, stats=stats):
            return False
    for action in actions:
        if not await set_menu(port, action, limiter=limiter, stats=stats):
            return False
    return True


async def reset_pending_menus(*, db: SessionFactory, port: MenuPort, worker: str,
                              limiter: Limiter | None = None,
                              stop: asyncio.Event | None = None,
                              stats: RefreshStats | None = None) -> RefreshStats:
    """Reset the chat menus of people who stopped being staff since they were last set."""
    stats = stats if stats is not None else RefreshStats()
    while not (stop is not None and stop.is_set()):
        batch = await claim_menu_resets(db=db, worker=worker)
        for reset in batch:
            if stop is not None and stop.is_set():
                return stats  # claimed but not done: taken over once stale
            me = await identify(db=db, telegram_user_id=reset.telegram_user_id)
            if not await reset_menu(port, me, reset.chat_id, limiter=limiter, stats=stats):
                stats.failed_chats += 1  # a blocked chat shows no menu: nothing to retry
            stats.resets += 1
            await finish_menu_reset(db=db, reset=reset)
        if not batch:
            break
    if stats.resets:
        log.info("command menus reset for %s former staff chats", stats.resets)
    return stats


async def refresh_menus(*, db: SessionFactory, port: MenuPort, limiter: Limiter | None = None,
                        stop: asyncio.Event | None = None, page: int = 200) -> RefreshStats:
    """Set every bound person's chat menu in their language, paced by the outbox limiter."""
    stats = RefreshStats()
    after: int | None = 0
    while after is not None:
        batch = await menu_targets(db=db, after=after, limit=page)
        for target in batch.targets:
            if stop is not None and stop.is_set():
                return stats
            actions = chat_menus(identity_of(target), target.chat_id, target.language)
            if not actions:
                continue
            stats.chats += 1
            for action in actions:
                if not await set_menu(port, action, limiter=limiter, stats=stats):
                    stats.failed_chats += 1
                    break
        after = batch.next_after
    stats.completed = True
    log.info("command menus refreshed: %s chats, %s calls, %s failed, %s rate-limited",
             stats.chats, stats.calls, stats.failed_chats, stats.rate_limited)
    return stats


async def refresh_menus_once(*, db: SessionFactory, port: MenuPort, worker: str,
                             limiter: Limiter | None = None,
                             stop: asyncio.Event | None = None) -> RefreshStats:
    """Refresh every chat menu once per menu version, then reset former staff's menus."""
    job = f"menus:{menus_version()}"
    if not await claim_slot(db=db, job=job, slot=VERSION_SLOT, worker=worker):
        log.info("command menus already at version %s", job)
        stats = RefreshStats(skipped=True)
    else:
        stats = await refresh_menus(db=db, port=port, limiter=limiter, stop=stop)
        if stats.completed:
            await finish_slot(db=db, job=job, slot=VERSION_SLOT)
        # An interrupted refresh stays unfinished; a later start takes it over once stale.
    return await reset_pending_menus(db=db, port=port, worker=worker, limiter=limiter,
                                     stop=stop, stats=stats)
