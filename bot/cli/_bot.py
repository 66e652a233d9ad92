"""The bot's @username for invite links, asked from the Bot API (getMe) when not given."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from bot.cli.errors import N_, terminal_tr
from bot.config import is_bot_token

if TYPE_CHECKING:
    from bot.config import Settings

NO_NAME = N_("ownervoice: cannot ask the Bot API at {url} for the bot's name ({error}); the "
             "links read /start … — give --bot-username to get t.me links")
NOT_A_TOKEN = N_("telegram.token is not shaped like a bot token, 123456789:AAH…")
NO_ANSWER = N_("it did not answer")
TOKEN_REFUSED = N_("it refused telegram.token")
ANSWERED_ERROR = N_("it answered with an error")


async def bot_username(settings: Settings, *, say_fallback: bool = False) -> str | None:
    """Ask the Bot API for the bot's @username (None when offline or without a token).

    `say_fallback`: the caller prints plain /start links then, so say why on stderr; callers
    that refuse without the name say so themselves.
    """
    token = settings.telegram.token.get_secret_value()
    if not token:
        return None
    if not is_bot_token(token):  # aiogram's Bot() refuses it with a TokenValidationError
        if say_fallback:
            tr = terminal_tr()
            print(tr._(NO_NAME, url=settings.telegram.api_base, error=tr._(NOT_A_TOKEN)),
                  file=sys.stderr)
        return None
    # why: aiogram loads only when a link needs the bot's name
    from aiogram import Bot
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError

    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram.api_base))
    bot = Bot(token, session=session)
    try:
        me = await bot.get_me()
        return me.username
    except Exception as exc:  # offline or a refused token: said in words, not a class name
        if say_fallback:
            reason = (TOKEN_REFUSED if isinstance(exc, TelegramUnauthorizedError)
                      else NO_ANSWER if isinstance(exc, TelegramNetworkError | OSError)
                      else ANSWERED_ERROR)
            tr = terminal_tr()
            print(tr._(NO_NAME, url=settings.telegram.api_base, error=tr._(reason)),
                  file=sys.stderr)
        return None
    finally:
        await bot.session.close()
