"""Build the aiogram Bot and Dispatcher for a Conversation."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bot.aiogram_app.middlewares import DedupeMiddleware, ErrorMiddleware
from bot.aiogram_app.routers import all_routers
from bot.conversation import Conversation


def build_bot(token: str, api_base: str) -> Bot:
    """Create a Bot talking to `api_base` (Telegram, a local Bot API server or the emulator)."""
    server = TelegramAPIServer.from_base(api_base.rstrip("/"))
    return Bot(token=token, session=AiohttpSession(api=server))


def build_dispatcher(conversation: Conversation) -> Dispatcher:
    """Create the Dispatcher: error and dedupe middlewares, then the feature routers."""
    dispatcher = Dispatcher(conversation=conversation)
    dispatcher.update.outer_middleware(ErrorMiddleware(conversation))
    dispatcher.update.outer_middleware(DedupeMiddleware(conversation))
    dispatcher.include_routers(*all_routers())
    return dispatcher
