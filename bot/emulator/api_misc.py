"""Bot API methods about the bot itself: identity, updates, webhook, commands, chats."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from bot.emulator import webhook
from bot.emulator.api_messages import chat_id
from bot.emulator.errors import CONFLICT_WEBHOOK, ApiError, bad_request
from bot.emulator.params import Params
from bot.emulator.registry import api_method
from bot.emulator.state import WebhookConfig

if TYPE_CHECKING:
    from bot.emulator.core import Emulator
    from bot.emulator.state import BotState

_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")  # a command menu's language: two-letter ISO 639-1


@api_method("getMe")
async def get_me(emu: Emulator, bot: BotState, p: Params) -> Any:
    """getMe."""
    return {**bot.me.to_api(), "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": False, "can_connect_to_business": False,
            "has_main_web_app": False}


@api_method("getUpdates")
async def get_updates(emu: Emulator, bot: BotState, p: Params) -> Any:
    """getUpdates (long polling)."""
    if bot.webhook is not None:
        raise ApiError(409, CONFLICT_WEBHOOK)
    limit = min(100, max(1, p.integer("limit", 100) or 100))
    allowed = p.decoded("allowed_updates")
    return await bot.updates.get_updates(
        offset=p.integer("offset"), limit=limit, wait_seconds=p.number("timeout", 0.0),
        allowed=list(allowed) if isinstance(allowed, list) else None,
    )


@api_method("setWebhook")
async def set_webhook(emu: Emulator, bot: BotState, p: Params) -> Any:
    """setWebhook (an empty url removes it)."""
    url = p.string("url") or ""
    if p.flag("drop_pending_updates"):
        bot.updates.clear()
    allowed = p.decoded("allowed_updates")
    if isinstance(allowed, list):
        bot.updates.allowed = frozenset(allowed) if allowed else None
    if not url:
        bot.webhook = None
        webhook.stop(bot)
        return True
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.string("secret_token")
    if secret is not None and not _SECRET.match(secret):
        raise bad_request("bad webhook: secret token contains unallowed characters")
    bot.webhook = WebhookConfig(url, secret, p.integer("max_connections", 40) or 40)
    webhook.start(emu, bot)
    return True


@api_method("deleteWebhook")
async def delete_webhook(emu: Emulator, bot: BotState, p: Params) -> Any:
    """deleteWebhook."""
    bot.webhook = None
    webhook.stop(bot)
    if p.flag("drop_pending_updates"):
        bot.updates.clear()
    return True


@api_method("getWebhookInfo")
async def get_webhook_info(emu: Emulator, bot: BotState, p: Params) -> Any:
    """getWebhookInfo."""
    hook = bot.webhook
    info: dict[str, Any] = {"url": hook.url if hook else "", "has_custom_certificate": False,
                            "pending_update_count": len(bot.updates.pending)}
    if hook is not None:
        info["max_connections"] = hook.max_connections
        info["ip_address"] = "127.0.0.1"
        if hook.last_error_date is not None:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message
        if bot.updates.allowed is not None:
            info["allowed_updates"] = sorted(bot.updates.allowed)
    return info


def _scope_key(p: Params) -> tuple[str, str]:
    scope = p.decoded("scope") or {"type": "default"}
    if not isinstance(scope, dict) or "type" not in scope:
        raise bad_request("can't parse BotCommandScope JSON object")
    language = p.string("language_code") or ""
    if language and not _LANGUAGE.match(language):  # "zh-hans", "zh_CN": refused, as TDLib does
        raise bad_request("invalid language code specified")
    return json.dumps(scope, sort_keys=True), language


@api_method("setMyCommands")
async def set_my_commands(emu: Emulator, bot: BotState, p: Params) -> Any:
    """setMyCommands (stored per scope and language)."""
    commands = p.decoded("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad_request("too many commands specified")
    cleaned = []
    for command in commands:
        name = str(command.get("command", "")).lstrip("/") if isinstance(command, dict) else ""
        description = str(command.get("description", "")) if isinstance(command, dict) else ""
        if not _COMMAND_NAME.match(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("command description is empty")
        cleaned.append({"command": name, "description": description})
    key = _scope_key(p)
    if cleaned:
        bot.commands[key] = cleaned
    else:
        bot.commands.pop(key, None)
    return True


@api_method("getMyCommands")
async def get_my_commands(emu: Emulator, bot: BotState, p: Params) -> Any:
    """getMyCommands."""
    return bot.commands.get(_scope_key(p), [])


@api_method("deleteMyCommands")
async def delete_my_commands(emu: Emulator, bot: BotState, p: Params) -> Any:
    """deleteMyCommands."""
    bot.commands.pop(_scope_key(p), None)
    return True


@api_method("setChatMenuButton")
async def set_chat_menu_button(emu: Emulator, bot: BotState, p: Params) -> Any:
    """setChatMenuButton (per chat, or the default without chat_id)."""
    button = p.decoded("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or "type" not in button:
        raise bad_request("can't parse menu button JSON object")
    target = p.integer("chat_id")
    if target is None:
        bot.default_menu_button = button
    else:
        emu.chat(bot, target).menu_button = button
    return True


@api_method("getChatMenuButton")
async def get_chat_menu_button(emu: Emulator, bot: BotState, p: Params) -> Any:
    """getChatMenuButton."""
    target = p.integer("chat_id")
    button = emu.chat(bot, target).menu_button if target is not None else None
    return button or bot.default_menu_button or {"type": "commands"}


@api_method("getChat")
async def get_chat(emu: Emulator, bot: BotState, p: Params) -> Any:
    """getChat (private chats only)."""
    chat = emu.chat(bot, chat_id(p))
    return {**chat.user.chat_api(), "accent_color_id": 0, "max_reaction_count": 11,
            "accepted_gift_types": {"unlimited_gifts": False, "limited_gifts": False,
                                    "unique_gifts": False, "premium_subscription": False}}


@api_method("close")
async def close(emu: Emulator, bot: BotState, p: Params) -> Any:
    """close."""
    return True


@api_method("logOut")
async def log_out(emu: Emulator, bot: BotState, p: Params) -> Any:
    """logOut."""
    bot.logged_out = True
    return True
