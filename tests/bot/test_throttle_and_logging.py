"""Per-user rate limiting and phone masking in logs."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

from sqlalchemy import text

from bot.conversation.throttle import Throttle
from bot.logging import (
    PERSONAL_DATA_LOGGERS,
    SECRET_LOGGERS,
    SQL_LOGGER,
    mask_phones,
    setup_logging,
)
from surveys.core.db import create_engine


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_warns_once_then_refills() -> None:
    clock = FakeTime()
    throttle = Throttle(capacity=3, rate=1.0, clock=clock)
    assert [throttle.check(1) for _ in range(3)] == [(True, False)] * 3
    assert throttle.check(1) == (False, True)
    assert throttle.check(1) == (False, False)  # warned already
    assert throttle.check(2) == (True, False)  # other users are not affected
    clock.now += 1.0
    assert throttle.check(1) == (True, False)


def test_phone_numbers_are_masked_in_text() -> None:
    assert mask_phones("owner 13812345678 bound") == "owner 138****5678 bound"
    assert mask_phones("+86 138-1234-5678") == "138****5678"
    assert mask_phones("order 2026111612345678 id") == "order 2026111612345678 id"


def test_log_lines_and_tracebacks_never_show_a_full_phone_number() -> None:
    stream = io.StringIO()
    handler = setup_logging("INFO", stream)
    try:
        log = logging.getLogger("tests.masking")
        log.info("contact %s shared", "13912345678")
        try:
            raise ValueError("unknown phone 13912345678")
        except ValueError:
            log.exception("binding failed")
    finally:
        logging.getLogger().removeHandler(handler)
    output = stream.getvalue()
    assert "13912345678" not in output
    assert output.count("139****5678") == 3


async def _debug_log_of_an_insert(tmp_path: Path, *, personal_data: bool,
                                  level: str = "DEBUG") -> str:
    stream = io.StringIO()
    names = ("", *PERSONAL_DATA_LOGGERS, SQL_LOGGER, *SECRET_LOGGERS)
    levels = {name: logging.getLogger(name).level for name in names}
    handler = setup_logging(level, stream, personal_data=personal_data)
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'log.db'}",
                           log_sql_parameters=personal_data)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE IF NOT EXISTS note (body TEXT)"))
            await conn.execute(text("INSERT INTO note (body) VALUES (:body)"),
                               {"body": "师傅态度太差 秘密评论"})
            await conn.execute(text("SELECT body FROM note"))
    finally:
        await engine.dispose()
        logging.getLogger().removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
    return stream.getvalue()


async def test_debug_logs_keep_sql_parameters_and_rows_out_unless_asked(tmp_path: Path) -> None:
    quiet = await _debug_log_of_an_insert(tmp_path, personal_data=False)
    assert "秘密评论" not in quiet and "\\u79d8\\u5bc6" not in quiet
    assert "INSERT INTO note" not in quiet  # nor SQLAlchemy's statement lines
    asked = await _debug_log_of_an_insert(tmp_path, personal_data=True)
    assert "秘密评论" in asked and "INSERT INTO note" in asked  # the first run could show them


async def test_an_info_or_quieter_log_shows_no_sql_statement(tmp_path: Path) -> None:
    for level in ("INFO", "ERROR"):  # `ownervoice run`, the demo without -v
        logged = await _debug_log_of_an_insert(tmp_path, personal_data=False, level=level)
        assert "INSERT INTO note" not in logged and "SELECT body" not in logged, level


def test_a_phone_right_after_a_json_escape_is_masked() -> None:
    logged = json.dumps({"text": "开13912345678号"})  # '"\\u5f0013912345678\\u53f7"'
    assert "13912345678" in logged
    assert "13912345678" not in mask_phones(logged)
    assert "139****5678" in mask_phones(logged)
    assert mask_phones("\\u00a013912345678") == "\\u00a0139****5678"
    assert mask_phones("order 2026111612345678 id") == "order 2026111612345678 id"


def test_httpx_request_lines_with_the_bot_token_are_not_logged() -> None:
    stream = io.StringIO()
    handler = setup_logging("DEBUG", stream)
    try:
        logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/bot1:T/x")
    finally:
        logging.getLogger().removeHandler(handler)
    assert "bot1:T" not in stream.getvalue()


def test_the_migrations_setup_chatter_stays_out_of_an_info_log_and_shows_at_debug() -> None:
    # Every start printed nine "setup plugin alembic.autogenerate.…" lines and two about the
    # migration context at INFO: an operator's journal opened on Alembic's internals.
    for level, shown in (("INFO", False), ("DEBUG", True)):
        stream = io.StringIO()
        handler = setup_logging(level, stream)
        try:
            logging.getLogger("alembic.runtime.plugins").info("setup plugin alembic.x")
            logging.getLogger("alembic.runtime.migration").warning("a real problem")
        finally:
            logging.getLogger().removeHandler(handler)
        assert ("setup plugin" in stream.getvalue()) is shown
        assert "a real problem" in stream.getvalue()
