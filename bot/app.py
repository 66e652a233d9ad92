"""Process wiring: database, chat runtime (aiogram or PTB), outbox sender, jobs and intake API.

    async with build_app(settings) as app:
        await app.wait_closed()
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.api import create_api_app
from bot.callbacks import derive_secret
from bot.config import Settings
from bot.conversation.core import Conversation
from bot.errors import listen
from bot.i18n import translator
from bot.jobs import JOBS
from bot.learning import load_learned
from bot.menus import OWNER_COMMANDS, RefreshStats, refresh_menus_once
from bot.render import OutboxRenderer
from bot.runtime.base import ChatRuntime, TelegramUnreachable
from bot.runtime.factory import build_runtime
from bot.scheduler import Scheduler, build_scheduler
from bot.staff.core import Staff
from bot.staff.setup import build_staff
from scoring.classifier import warm_up
from surveys.core.db import SessionFactory, create_engine, create_schema, session_factory
from surveys.outbox.dispatch import default_worker_id, run_dispatcher
from surveys.outbox.limits import Limiter
from surveys.outbox.ports import Messenger
from surveys.outbox.replicas import share_budget

log = logging.getLogger(__name__)

ESSENTIAL_TASKS = ("polling", "outbox-dispatcher")  # the bot does not work without them
MAX_STARTUP_DELAY = 60.0
# How long a job run in flight at shutdown may go on before it is cancelled: a run cut off
# loses what it had left to write. Well inside the 30 s deploy/ gives a stop.
JOB_GRACE_SECONDS = 10.0


class StartupFailed(Exception):
    """The Bot API could not be reached at start-up after every attempt."""

    def __init__(self, api_base: str, attempts: int, reason: str, *,
                 stopped: bool = False) -> None:
        super().__init__(f"cannot reach the Bot API at {api_base} after {attempts} attempt(s): "
                         f"{reason}")
        self.api_base, self.attempts, self.reason = api_base, attempts, reason
        self.stopped = stopped  # SIGTERM / Ctrl-C came while waiting to try again


class DatabaseUnusable(Exception):
    """The database could not be opened or brought to the newest revision at start-up."""


__all__ = ["OWNER_COMMANDS", "App", "build_app"]


@dataclass
class App:
    """The running bot process; use as `async with` for a graceful start and shutdown."""

    settings: Settings
    engine: AsyncEngine
    db: SessionFactory
    bot: Any  # the runtime's Bot (aiogram or PTB)
    dispatcher: Any  # aiogram's Dispatcher or PTB's Application
    conversation: Conversation
    render: OutboxRenderer
    messenger: Messenger
    runtime: ChatRuntime
    staff: Staff | None = None  # agents, managers and the owner's complaints
    polling: bool = True
    serve_api: bool = True
    schedule: bool = True
    create_schema: bool = True
    polling_timeout: int = 10  # long-poll seconds; tests use 1 so shutdown is quick
    refresh_menus: bool = True  # set every bound person's chat menu at start-up
    menu_refresh: RefreshStats | None = None  # what the start-up refresh did, once done
    stop_event: asyncio.Event = field(default_factory=asyncio.Event)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    scheduler: Scheduler | None = None
    job_grace: float = JOB_GRACE_SECONDS
    api_url: str | None = None
    failure: str | None = None  # why an essential task ended on its own (see wait_closed)
    webhook_ready: bool = False  # webhook mode: Telegram accepted setWebhook (/readyz)
    _tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    _api_runner: web.AppRunner | None = None

    async def __aenter__(self) -> App:
        try:
            await self.start()
        except BaseException:
            await self.close()  # what did start (sender, session, API) stops again
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def wake_dispatcher(self) -> None:
        """Make the outbox sender look for new rows now instead of at its next tick."""
        self.wake.set()

    async def run_job(self, name: str) -> Any:
        """Run one scheduled job now (tests and the demo)."""
        return await JOBS[name].func(self)

    async def start(self) -> None:
        """Create the schema, start the outbox sender, jobs, intake API and polling."""
        if self.create_schema:
            try:
                await create_schema(self.engine)
            except (DBAPIError, OSError) as exc:  # the CLI words the cause (exc.__cause__)
                raise DatabaseUnusable(str(exc)) from exc
        # Load the classifier's dictionary and model now, not on the first owner's comment:
        # the model learned from corrections if classifier.data_dir holds one.
        await asyncio.to_thread(load_learned, self.settings)
        await asyncio.to_thread(warm_up)
        await self._reach_telegram()
        await self.runtime.start()
        limiter, worker = Limiter.from_config(self.settings.dispatch), default_worker_id()
        self._tasks.append(asyncio.create_task(run_dispatcher(
            db=self.db, messenger=self.messenger, render=self.render,
            config=self.settings.dispatch, stop=self.stop_event, wake=self.wake,
            limiter=limiter, worker=worker,
        ), name="outbox-dispatcher"))
        if self.engine.dialect.name == "postgresql":
            # Replicas on one database split the bot-wide budget (see surveys/outbox/replicas.py).
            self._tasks.append(asyncio.create_task(share_budget(
                db=self.db, limiter=limiter, budget=self.settings.dispatch.per_bot_per_second,
                worker=worker, stop=self.stop_event,
            ), name="budget-share"))
        if self.refresh_menus:
            # In the background, sharing the outbox's budget: thousands of chats take minutes.
            self._tasks.append(asyncio.create_task(self._refresh_menus(limiter, worker),
                                                   name="menu-refresh"))
        if self.schedule:
            self.scheduler = build_scheduler(self, self.settings.schedule, JOBS)
            self.scheduler.start()
        if self.serve_api:
            await self._start_api()
        if self.polling:
            await self._start_polling()

    async def _start_polling(self) -> None:
        await self._set_commands()
        self._tasks.append(await self.runtime.start_polling(poll_timeout=self.polling_timeout))

    async def _set_commands(self) -> None:
        for locale, language in (("zh_CN", None), ("en", "en")):
            tr = translator(locale)
            commands = [(c, tr._(d)) for c, d in OWNER_COMMANDS]
            try:
                await self.runtime.messenger.set_commands(commands, language_code=language)
            except Exception:  # the menu is a nicety; never block start-up on it
                log.warning("could not set the command menu", exc_info=True)

    async def _refresh_menus(self, limiter: Limiter, worker: str) -> None:
        try:
            self.menu_refresh = await refresh_menus_once(
                db=self.db, port=self.runtime.messenger, worker=worker, limiter=limiter,
                stop=self.stop_event)
        except Exception:  # a database hiccup: menus stay as they were, the bot runs on
            log.warning("could not refresh the command menus", exc_info=True)

    async def _start_api(self) -> None:
        api = create_api_app(db=self.db, settings=self.settings, on_enqueued=self.wake_dispatcher)
        runner = web.AppRunner(api)
        await runner.setup()
        self._api_runner = runner
        site = web.TCPSite(runner, self.settings.api.host, self.settings.api.port)
        await listen(site, host=self.settings.api.host, port=self.settings.api.port,
                     setting="api.port / OWNERVOICE_API__PORT / --no-api",
                     address_setting="api.host / api.port")
        server = getattr(site, "_server", None)
        port = server.sockets[0].getsockname()[1] if server and server.sockets else (
            self.settings.api.port)
        self.api_url = f"http://{self.settings.api.host}:{port}"
        log.info("intake API listening on %s", self.api_url)

    async def _reach_telegram(self) -> None:
        """Ask the Bot API who the bot is, retrying with backoff while it cannot be reached."""
        config = self.settings.telegram
        token = config.token.get_secret_value()
        delay = config.startup_backoff_seconds
        for attempt in range(1, config.startup_attempts + 1):
            try:
                await self.runtime.check()
                return
            except TelegramUnreachable as exc:
                # The HTTP client's text may carry the request URL, and with it the token.
                detail = str(exc).replace(token, "***") if token else str(exc)
                if attempt == config.startup_attempts:
                    log.warning("cannot reach the Bot API at %s (attempt %s of %s): %s",
                                config.api_base, attempt, config.startup_attempts, detail)
                    raise StartupFailed(config.api_base, attempt, exc.kind) from exc
                log.warning("cannot reach the Bot API at %s (attempt %s of %s): %s; trying "
                            "again in %.0f s", config.api_base, attempt,
                            config.startup_attempts, detail, delay)
            if await self._stopped_within(delay):
                raise StartupFailed(config.api_base, attempt, "stopped while waiting",
                                    stopped=True)
            delay = min(delay * 2, MAX_STARTUP_DELAY)

    async def _stopped_within(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self.stop_event.wait(), timeout=seconds)
        except TimeoutError:
            return False
        return True

    async def wait_closed(self, stop: asyncio.Event | None = None) -> None:
        """Wait until `stop` (default: `close()`) is set or an essential task ends.

        A task that ends on its own (polling, the sender) means the bot no longer works:
        `failure` says which, so `ownervoice run` exits non-zero and a supervisor (systemd,
        compose) restarts it.
        """
        stop = stop or self.stop_event
        essential = [t for t in self._tasks if t.get_name() in ESSENTIAL_TASKS]
        waiters: list[Any] = [asyncio.ensure_future(stop.wait()), *essential]
        done, _ = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        waiters[0].cancel()
        if stop.is_set() or self.stop_event.is_set():
            return
        task = next(t for t in essential if t in done)
        error = task.exception() if not task.cancelled() else None
        self.failure = f"{task.get_name()} stopped: {error or 'ended'}"
        log.error("%s; shutting down so the process can be restarted", self.failure)

    async def close(self) -> None:
        """Stop polling, jobs, the sender and the API; close connections.

        Job runs in flight end (finished, or cancelled after `job_grace`) before the engine is
        disposed, so none loses its writes to the shutdown or rolls back on a closed pool.
        """
        await self.runtime.stop_polling()
        self.stop_event.set()
        if self.scheduler is not None:
            await self.scheduler.stop(grace=self.job_grace)
        for task in self._tasks:
            try:
                await asyncio.wait_for(task, timeout=10)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
            except Exception:
                log.exception("task %s failed", task.get_name())
        self._tasks.clear()
        if self._api_runner is not None:
            await self._api_runner.cleanup()
            self._api_runner = None
        await self.runtime.close()
        await self.engine.dispose()


def build_app(settings: Settings, *, polling: bool = True, serve_api: bool = True,
              schedule: bool = True, create_schema: bool = True, polling_timeout: int = 10,
              conversation_options: dict[str, Any] | None = None) -> App:
    """Wire every part of the process from settings (nothing runs until `start()`)."""
    token = settings.telegram.token.get_secret_value()
    if not token:
        raise ValueError("telegram.token is not set (OWNERVOICE_TELEGRAM__TOKEN)")
    engine = create_engine(settings.database.url, log_sql_parameters=settings.log_personal_data)
    db = session_factory(engine)
    invite_secret = settings.invites.secret.get_secret_value()
    if not invite_secret:
        log.warning("invites.secret is not set: buttons and survey links are signed with a key "
                    "derived from the bot token (rotating the token breaks those already sent) "
                    "and no invite link can be made; set OWNERVOICE_INVITES__SECRET")
    key = derive_secret(invite_secret, token)
    conversation = Conversation(
        db=db, key=key, invite_secret=invite_secret,
        survey_config=settings.survey, complaint_config=settings.complaints,
        default_locale=settings.default_language, **(conversation_options or {}),
    )
    staff = build_staff(settings, conversation)
    runtime = build_runtime(settings.runtime, token=token, api_base=settings.telegram.api_base,
                            conversation=conversation, staff=staff)
    return App(
        settings=settings, engine=engine, db=db, bot=runtime.bot,
        dispatcher=runtime.dispatcher, conversation=conversation,
        render=OutboxRenderer(
            key, settings.default_language,
            agent_sees_typed_phones=settings.complaints.agent_sees_typed_phones),
        messenger=runtime.messenger,
        runtime=runtime, staff=staff,
        polling=polling, serve_api=serve_api, schedule=schedule, create_schema=create_schema,
        polling_timeout=polling_timeout,
    )
