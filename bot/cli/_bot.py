"""The bot's @username for invite links, asked from the Bot API (getMe) when not given."""

from __future__ import annotations

import sys
from typing import Any


async def bot_username(settings: Any) -> str | None:
    """Ask the Bot API for the bot's @username (None when offline or without a token)."""
    token = settings.telegram.token.get_secret_value()
    if not token:
        return None
    # why: aiogram loads only when a link needs the bot's name
    from aiogram import Bot
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer

    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram.api_base))
    bot = Bot(token, session=session)
    try:
        me = await bot.get_me()
        return me.username
    except Exception as exc:  # offline or wrong token: the caller explains
        print(f"getMe failed: {exc}", file=sys.stderr)
        return None
    finally:
        await bot.session.close()
