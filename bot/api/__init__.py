"""The intake HTTP API (aiohttp): the property system reports closed work orders here.

    POST /api/v1/work-orders/close   JSON WorkOrderIn, `Authorization: Bearer <token>`,
                                     optional `Idempotency-Key` header
    GET  /api/v1/surveys/{id}        survey status
    GET  /healthz                    liveness and database check (no auth)
    GET/POST /s/{token}[/done]       the survey web page (`bot.web`), when web.base_url is set

A close answers with the survey's `web_link` ({url, expires_at} or null, `bot.web.intake`).
Every error is JSON `{"error": code, "detail": reason}` with a 4xx status; a 500 means a bug.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import inspect
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web
from pydantic import ValidationError

from bot.api.body import HANDLER_ARGS, parse_json, printable_header, read_body
from bot.api.errors import ApiError, error_response
from bot.api.health import HEALTH, Health, healthz
from bot.config import Settings
from bot.web import setup_web
from bot.web.intake import with_web_link, without_web_link
from surveys.core import clock
from surveys.core.db import DatabaseError, SessionFactory
from surveys.core.errors import InvalidInput
from surveys.intake.api_keys import find_key, release_key, reserve_key, store_answer
from surveys.intake.close import close_work_order
from surveys.intake.order_in import WorkOrderIn
from surveys.intake.refusals import ConflictingOrder
from surveys.survey.status import survey_state

log = logging.getLogger(__name__)

DB = web.AppKey("db", SessionFactory)
SETTINGS = web.AppKey("settings", Settings)
ON_ENQUEUED = web.AppKey("on_enqueued", object)
MAX_KEY_LENGTH = 200
KEY_WAIT_SECONDS = 10.0  # how long a repeat waits for the first request's answer
KEY_ABANDONED_AFTER = timedelta(minutes=2)  # a reservation left by a crashed process

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


_HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed",
               413: "payload_too_large", 415: "unsupported_media_type"}


# Every answer: a close's holds the survey's web link (a secret no cache may keep), and the
# port is the public survey page's (no answer may be sniffed as a page).
ANSWER_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


@web.middleware
async def headers_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Mark every answer as one no cache keeps and no browser sniffs."""
    response = await handler(request)
    for name, value in ANSWER_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


@web.middleware
async def errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn every failure into a JSON error; log true bugs and answer 500 only for them."""
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(exc.status, exc.error, exc.detail, **exc.extra)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = _HTTP_CODES.get(exc.status, "http_error")
        return error_response(exc.status, code, exc.reason or code)
    except (DatabaseError, OSError, TimeoutError) as exc:
        # The database is away (restart, failover): nothing was written; the caller retries.
        log.warning("intake API: database unavailable on %s: %s", request.path, exc)
        response = error_response(503, "unavailable", "database unavailable; retry later")
        response.headers["Retry-After"] = "30"
        return response
    except Exception:
        log.exception("intake API bug on %s %s", request.method, request.path)
        return error_response(500, "internal", "internal error (logged)")


def _check_auth(request: web.Request) -> None:
    expected = request.app[SETTINGS].api.token.get_secret_value()
    header = printable_header(request, "Authorization")
    if not header:
        raise ApiError(401, "unauthorized", "missing Authorization: Bearer <token> header")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized",
                       "Authorization must be 'Bearer <token>' in printable ASCII")
    if not expected:
        raise ApiError(403, "forbidden", "the intake API token is not configured (api.token)")
    # Constant time, so the token cannot be guessed byte by byte from response times.
    if not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise ApiError(403, "forbidden", "invalid API token")


async def _json_body(request: web.Request) -> tuple[bytes, Any]:
    if request.content_type != "application/json":
        raise ApiError(415, "unsupported_media_type", "send Content-Type: application/json")
    raw = await read_body(request, request.app[SETTINGS].api.max_body_bytes)
    return raw, parse_json(raw)


def _validation_detail(exc: ValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(p) for p in err["loc"]) or "(body)", "message": err["msg"]}
        for err in exc.errors(include_url=False, include_input=False)
    ]


async def close_order(request: web.Request) -> web.Response:
    """POST /api/v1/work-orders/close: record a closed work order (idempotent)."""
    _check_auth(request)
    raw, body = await _json_body(request)
    key = printable_header(request, "Idempotency-Key")
    if key is None:
        status, answer = await _close(request, body)
        return web.json_response(await _linked(request, answer), status=status)
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ApiError(400, "bad_request", f"Idempotency-Key must be 1-{MAX_KEY_LENGTH} "
                       "printable ASCII characters")
    key = f"close:{key}"
    stored = await _claim(request, key, hashlib.sha256(raw).hexdigest())
    if stored is not None:
        return stored
    try:
        status, answer = await _close(request, body)
    except BaseException:
        await release_key(db=request.app[DB], key=key)  # nothing answered: the key is free
        raise
    answer = await _linked(request, answer)
    await store_answer(db=request.app[DB], key=key, status=status,
                       answer=without_web_link(answer))
    return web.json_response(answer, status=status)


async def _close(request: web.Request, body: Any) -> tuple[int, dict[str, Any]]:
    if not isinstance(body, dict):
        return 400, {"error": "bad_request", "detail": "body must be a JSON object"}
    try:
        order = WorkOrderIn.model_validate(body)
    except ValidationError as exc:
        return 422, {"error": "validation_error", "detail": "invalid work order",
                     "fields": _validation_detail(exc)}
    settings = request.app[SETTINGS]
    try:
        result = await close_work_order(db=request.app[DB], order=order,
                                        survey_config=settings.survey,
                                        categories=settings.categories,
                                        courtesy=settings.courtesy)
    except ConflictingOrder as exc:
        return 409, {"error": "conflict", "code": exc.code, "detail": str(exc)}
    except InvalidInput as exc:  # English detail for the integrator; `code` is stable
        return 422, {"error": "invalid_input", "code": exc.code, "detail": str(exc)}
    if result.created and result.survey_status == "pending":
        await _notify(request)
    return (201 if result.created else 200), result.to_json()


async def _linked(request: web.Request, answer: Any) -> Any:
    """Add the survey's web link to a successful answer (never stored with the answer)."""
    if not isinstance(answer, dict) or "error" in answer:
        return answer
    return await with_web_link(db=request.app[DB], settings=request.app[SETTINGS], answer=answer)


async def _notify(request: web.Request) -> None:
    callback = request.app[ON_ENQUEUED]
    if callable(callback):
        outcome = callback()
        if inspect.isawaitable(outcome):
            await outcome


async def _claim(request: web.Request, key: str, body_hash: str) -> web.Response | None:
    """Reserve the key for this request (None), or answer as the first request with it did.

    The reservation comes before the work, so two requests sent at once with one key (and
    maybe two bodies) cannot both close an order; the second waits for the first's answer.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + KEY_WAIT_SECONDS
    db = request.app[DB]
    while True:
        if await reserve_key(db=db, key=key, body_hash=body_hash):
            return None
        found = await find_key(db=db, key=key)
        if found is not None and found.request_sha256 != body_hash:
            raise ApiError(422, "idempotency_key_reused",
                           "this Idempotency-Key was used with a different body")
        if found is not None and found.answered:
            response = web.json_response(await _linked(request, found.response),
                                         status=found.status)
            response.headers["Idempotent-Replayed"] = "true"
            return response
        if found is not None and found.at < clock.now() - KEY_ABANDONED_AFTER:
            await release_key(db=db, key=key)
            continue
        if loop.time() > deadline:
            raise ApiError(409, "idempotency_key_in_progress",
                           "a request with this Idempotency-Key is still being handled; "
                           "retry later")
        await asyncio.sleep(0.05)


async def survey_status(request: web.Request) -> web.Response:
    """GET /api/v1/surveys/{id}: where a survey stands."""
    _check_auth(request)
    try:
        survey_id = int(request.match_info["survey_id"])
    except ValueError as exc:
        raise ApiError(400, "bad_request", "survey id must be an integer") from exc
    state = await survey_state(db=request.app[DB], survey_id=survey_id)
    if state is None:
        raise ApiError(404, "not_found", f"no survey {survey_id}")
    return web.json_response({
        "survey_id": state.survey_id,
        "work_order_external_id": state.work_order_external_id,
        "status": state.status,
        "created_at": _iso(state.created_at),
        "sent_at": _iso(state.sent_at),
        "reminded_at": _iso(state.reminded_at),
        "expires_at": _iso(state.expires_at),
        "submitted_at": _iso(state.submitted_at),
        "answered": state.answered,
    })


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() + "Z" if value is not None else None


def create_api_app(
    *, db: SessionFactory, settings: Settings, on_enqueued: Callable[[], Any] | None = None
) -> web.Application:
    """Build the intake API application."""
    if not settings.api.token.get_secret_value():
        log.warning("api.token is not set: the intake API refuses every call; "
                    "set OWNERVOICE_API__TOKEN")
    app = web.Application(
        middlewares=[headers_middleware, errors_middleware],
        client_max_size=settings.api.max_body_bytes, handler_args=HANDLER_ARGS,
    )
    app[DB] = db
    app[SETTINGS] = settings
    app[ON_ENQUEUED] = on_enqueued
    app[HEALTH] = Health(db=db)
    app.router.add_post("/api/v1/work-orders/close", close_order)
    app.router.add_get("/api/v1/surveys/{survey_id}", survey_status)
    app.router.add_get("/healthz", healthz)
    setup_web(app, db=db, settings=settings)
    return app
