"""The survey as a web page, for owners outside Telegram (signed links: surveys.survey.links).

`setup_web` adds the page's routes to the bot's aiohttp server (the intake API's, which is
also the webhook server), when `web.base_url` is set.
"""

from __future__ import annotations

from aiohttp import web

from bot.config import Settings
from bot.web.pages import WebPages, add_routes
from bot.web.security import install_log_masking, link_key
from surveys.core.db import SessionFactory


def settings_link_key(settings: Settings) -> bytes:
    """Return the key this deployment signs survey links with."""
    return link_key(settings.invites.secret.get_secret_value(),
                    settings.telegram.token.get_secret_value())


def setup_web(app: web.Application, *, db: SessionFactory, settings: Settings) -> None:
    """Serve the survey page on `app` when links are enabled (web.base_url)."""
    if not settings.web.enabled:
        return
    install_log_masking()
    add_routes(app, WebPages(db=db, settings=settings, key=settings_link_key(settings)))
