"""The survey page: GET shows the form, POST stores the answers, `/done` thanks the owner.

    GET  /s/{token}          the survey form (200), or a polite page: 404 unknown or forged
                             link, 409 already answered, 410 expired or closed
    POST /s/{token}          the form (urlencoded, CSRF-checked): 303 to /done when submitted,
                             422 with the form again when a question lacks a rating
    GET  /s/{token}/done     the thank-you page once the survey is submitted
    *    /s/...              anything else under /s/ is a page too, never the intake API's
                             JSON: a link with something stuck to its end (a slash, the
                             Chinese text after it in an SMS) is sent on to its survey (303),
                             other paths get the 404 page, other methods a 405 page

Every answer goes through `surveys.survey.by_link` (the chat's services); no page shows more
of the owner than a surname and the unit. Errors are pages in the owner's language, never a
traceback; the database away is a 503 asking to retry.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs

from aiohttp import web

from bot.config import Settings
from bot.i18n import Translator
from bot.web import views
from bot.web.limits import RateLimiter
from bot.web.render import Page, Renderer, pick_page_locale
from bot.web.security import check_csrf, client_address, security_headers
from surveys.core.db import DatabaseError, SessionFactory
from surveys.core.errors import InvalidAnswer, SurveyClosed
from surveys.survey.by_link import (
    LinkedSurvey,
    LinkNotFound,
    LinkState,
    answer_by_link,
    open_link,
)
from surveys.survey.links import PATH_PREFIX, token_hash

log = logging.getLogger(__name__)

MAX_FORM_BYTES = 16 * 1024
# A whole token at the start of the path, followed by something that cannot be part of one.
_LEADING_TOKEN = re.compile(r"([A-Za-z0-9_-]{44})(?![A-Za-z0-9_-])")
FORM_TYPE = "application/x-www-form-urlencoded"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class BadForm(Exception):
    """A post no page of ours sends: the owner gets a polite 4xx page."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


class WebPages:
    """The handlers of the survey page, bound to the database and settings."""

    def __init__(self, *, db: SessionFactory, settings: Settings, key: bytes) -> None:
        self.db, self.settings, self.key = db, settings, key
        self.renderer = Renderer()
        web_config = settings.web
        self.per_address = RateLimiter(web_config.per_address_per_minute,
                                       web_config.limiter_capacity)
        self.per_link = RateLimiter(web_config.per_link_per_minute, web_config.limiter_capacity)

    # --- plumbing -------------------------------------------------------------------------

    def respond(self, page: Page, **headers: str) -> web.Response:
        """Send a rendered page with the security headers."""
        response = web.Response(text=page.html, status=page.status,
                                content_type="text/html", charset="utf-8")
        response.headers.update(security_headers(self.renderer.css_source, page.locale))
        response.headers.update(headers)
        return response

    def redirect(self, location: str, locale: str) -> web.Response:
        """Send a 303 See Other (after a post) with the security headers."""
        response = web.Response(status=303, headers={"Location": location})
        response.headers.update(security_headers(self.renderer.css_source, locale))
        return response

    def locale(self, request: web.Request, form_lang: str | None = None) -> str:
        """Return the page language: the form's, ?lang=, Accept-Language, else the default."""
        return pick_page_locale(form_lang or request.query.get("lang"),
                                request.headers.get("Accept-Language"),
                                self.settings.default_language)

    def guarded(self, handler: Handler) -> Handler:
        """Wrap a handler: rate limit per address, and a polite page for every failure."""

        async def run(request: web.Request) -> web.StreamResponse:
            locale = self.locale(request)
            address = client_address(request, self.settings.web.trust_forwarded_for)
            wait = self.per_address.hit(address)
            if wait is not None:
                return self.respond(views.notice(self.renderer, locale, "too_many"),
                                    **{"Retry-After": str(int(wait))})
            try:
                return await handler(request)
            except LinkNotFound:
                return self.respond(views.notice(self.renderer, locale, "not_found"))
            except BadForm as exc:
                return self.respond(views.notice(self.renderer, locale, "bad_form", exc.status))
            except (DatabaseError, OSError, TimeoutError) as exc:
                log.warning("survey page: database unavailable: %s", exc)
                return self.respond(views.notice(self.renderer, locale, "unavailable"),
                                    **{"Retry-After": "30"})
            except Exception:
                log.exception("survey page failed on %s", request.method)
                return self.respond(views.notice(self.renderer, locale, "failure"))

        return run

    # --- handlers -------------------------------------------------------------------------

    async def open(self, token: str) -> LinkedSurvey:
        """Return what a link's page shows (LinkNotFound becomes the 404 page)."""
        return await open_link(db=self.db, key=self.key, token=token,
                               survey_config=self.settings.survey)

    async def show(self, request: web.Request) -> web.StreamResponse:
        """GET /s/{token}: the form, or the page saying why it cannot be answered."""
        token, locale = request.match_info["token"], self.locale(request)
        if (moved := self._unstuck(request, locale)) is not None:
            return moved
        linked = await self.open(token)
        if linked.state != LinkState.OPEN:
            return self.respond(views.closed(self.renderer, locale, linked))
        return self.respond(views.form(self.renderer, locale, linked, self._context(token)))

    async def done(self, request: web.Request) -> web.StreamResponse:
        """GET /s/{token}/done: thanks after the submission; the form while still open."""
        token, locale = request.match_info["token"], self.locale(request)
        linked = await self.open(token)
        if linked.state == LinkState.OPEN:
            return self.redirect(f"../{token}?lang={locale}", locale)
        if linked.state == LinkState.SUBMITTED:
            return self.respond(views.thanks(self.renderer, locale, linked))
        return self.respond(views.closed(self.renderer, locale, linked))

    async def submit(self, request: web.Request) -> web.StreamResponse:
        """POST /s/{token}: store the answers; submit when all four questions are rated."""
        token = request.match_info["token"]
        form = await _read_form(request)
        locale = self.locale(request, form.get("lang"))
        wait = self.per_link.hit(token_hash(token))
        if wait is not None:
            return self.respond(views.notice(self.renderer, locale, "too_many"),
                                **{"Retry-After": str(int(wait))})
        if not check_csrf(self.key, token_hash(token), form.get("nonce", ""),
                          form.get("csrf", "")):
            return self.respond(views.notice(self.renderer, locale, "stale_form"))
        ratings = _ratings(form)
        comment = form.get("comment", "")
        try:
            answer = await answer_by_link(
                db=self.db, key=self.key, token=token, ratings=ratings, comment=comment,
                survey_config=self.settings.survey, complaint_config=self.settings.complaints)
        except SurveyClosed:
            return self.respond(views.closed(self.renderer, locale, await self.open(token)))
        except InvalidAnswer:
            linked = await self.open(token)
            return self.respond(views.form(
                self.renderer, locale, linked, self._context(token), ratings=ratings,
                comment=comment, error=Translator(locale)._(
                    "Your comment is too long. Please keep it under {limit} characters.",
                    limit=self.settings.survey.comment_max_chars), status=422))
        if answer.submitted:
            return self.redirect(f"{token}/done?lang={locale}", locale)
        return self.respond(views.form(
            self.renderer, locale, answer.survey, self._context(token),
            missing=answer.missing, status=422,
            error=Translator(locale)._("Please rate every question before submitting.")))

    async def elsewhere(self, request: web.Request) -> web.StreamResponse:
        """Any other path or method under /s/: on to the survey, or a polite 404 / 405."""
        locale = self.locale(request)
        if request.method not in ("GET", "HEAD"):
            return self.respond(views.notice(self.renderer, locale, "bad_form", 405),
                                Allow="GET, POST")
        moved = self._unstuck(request, locale)
        if moved is None:
            raise LinkNotFound()
        return moved

    def _unstuck(self, request: web.Request, locale: str) -> web.Response | None:
        """Send a link with something stuck to its end on to its survey (None: no token)."""
        # Phones' link finders take the Chinese text after a link in an SMS into it (and a
        # copied link may end in a slash): a whole token at the start still names the survey.
        raw = request.rel_url.raw_path.removeprefix(PATH_PREFIX)
        found = _LEADING_TOKEN.match(raw)
        if found is None or found.group(1) == raw:
            return None
        up = "../" * raw.count("/")  # relative, as the other redirects: base_url may have a path
        return self.redirect(f"{up}{found.group(1)}?lang={locale}", locale)

    def _context(self, token: str) -> views.FormContext:
        return views.FormContext(key=self.key, link_hash=token_hash(token),
                                 timezone=self.settings.schedule.timezone,
                                 max_chars=self.settings.survey.comment_max_chars)


async def _read_form(request: web.Request) -> dict[str, str]:
    if request.content_type != FORM_TYPE:
        raise BadForm(415, "not an urlencoded form")
    if request.content_length is not None and request.content_length > MAX_FORM_BYTES:
        raise BadForm(413, "form too large")
    raw = await request.content.read(MAX_FORM_BYTES + 1)
    if len(raw) > MAX_FORM_BYTES:
        raise BadForm(413, "form too large")
    try:
        fields = parse_qs(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=20,
                          strict_parsing=False)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadForm(400, "unreadable form") from exc
    if any(len(values) != 1 for values in fields.values()):
        raise BadForm(400, "a field was sent twice")
    return {name: values[0] for name, values in fields.items()}


def _ratings(form: dict[str, str]) -> dict[str, int]:
    ratings: dict[str, int] = {}
    for question in views.QUESTIONS:
        value = form.get(question)
        if value is None or value == "":
            continue
        if value not in {"1", "2", "3", "4", "5"}:
            raise BadForm(400, f"bad rating for {question}")
        ratings[question] = int(value)
    return ratings


def add_routes(app: web.Application, pages: WebPages) -> None:
    """Register the survey page's routes on an aiohttp application."""
    app.router.add_get("/s/{token}", pages.guarded(pages.show))
    app.router.add_post("/s/{token}", pages.guarded(pages.submit))
    app.router.add_get("/s/{token}/done", pages.guarded(pages.done))
    app.router.add_route("*", PATH_PREFIX + "{rest:.*}", pages.guarded(pages.elsewhere))
