"""/forget leaves no row in any table that says who the owner was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select as sa_select
from sqlalchemy import text
from sqlmodel import SQLModel, select

from surveys.models import Complaint
from tests.bot.roles.conftest import press, staff_world
from tests.bot.security.conftest import data_of
from tests.fixtures.chat import OWNERS, Harness, running_bot

PERSON = OWNERS[0]
COMPLAINT_TEXT = "服务态度太差了，联系我13800138001"
OWNER_ANSWER = "好的，我明天上午在家"
ID_COLUMNS = {"chat_id", "telegram_user_id", "used_by_telegram_user_id", "user_id"}


def _traces(table: str, row: dict[str, Any]) -> list[str]:
    """Return what in a row still points at the person."""
    found = []
    for column, value in row.items():
        if column in ID_COLUMNS and value == PERSON.user_id:
            found.append(f"{table}.{column}={value}")
        if column == "room" and value == PERSON.room:  # with building and community: a home
            found.append(f"{table}.{column}={value}")
        text = json.dumps(value, ensure_ascii=False, default=str)
        for needle in (PERSON.phone, PERSON.name, COMPLAINT_TEXT, OWNER_ANSWER,
                       f'"chat_id": {PERSON.user_id}', f'"room": "{PERSON.room}"'):
            if needle in text:
                found.append(f"{table}.{column} holds {needle!r}")
    return found


async def _history_then_forget(h: Harness) -> None:
    """The person surveys, complains, talks to the agent, gets appealed, then /forget."""
    world = await staff_world(h)
    owner, _, survey = await h.owner_with_survey(PERSON, "WO-FORGET-ALL", title="门禁卡失灵")
    await owner.rate(survey["message_id"], 1, 1, 2, 1)
    await owner.send(COMPLAINT_TEXT)
    card = await h.client.wait_for_message(h.token, world.agent.chat_id, contains="门禁卡失灵")
    await press(world.agent, card["message_id"], "回复")
    await world.agent.send("请问明天上午方便吗？")
    relayed = await h.client.wait_for_message(h.token, owner.chat_id, contains="明天上午")
    await owner.tap_data(relayed["message_id"], data_of(relayed, "💬"))
    await owner.send(OWNER_ANSWER)
    await h.client.wait_for_message(h.token, world.agent.chat_id, contains=OWNER_ANSWER)
    await press(world.agent, card["message_id"], "已解决")
    await h.outbox_idle()
    async with h.db() as s:
        cid = (await s.exec(select(Complaint.id))).one()
    await world.agent.send(f"/appeal {cid} 业主说的不是我")
    await h.outbox_idle()

    done = await owner.send("/forget yes")
    assert "/start" in str(done["text"])
    await h.outbox_idle()


async def test_forget_leaves_no_trace_of_the_owner_in_any_table(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await _history_then_forget(h)

        traces: list[str] = []
        async with h.db() as s:
            conn = await s.connection()
            for table in SQLModel.metadata.sorted_tables:
                rows = (await conn.execute(sa_select(table))).mappings().all()
                for row in rows:
                    traces += _traces(table.name, dict(row))
        assert traces == [], "\n".join(traces)


def _raw_copies(data: bytes) -> dict[str, int]:
    """Count the person's phone, name and words in raw bytes (UTF-8 and JSON-escaped)."""
    found = {}
    for needle in (PERSON.phone, PERSON.name, COMPLAINT_TEXT, OWNER_ANSWER):
        forms = {needle.encode(), json.dumps(needle).strip('"').encode()}
        count = sum(data.count(form) for form in forms)
        if count:
            found[needle] = count
    return found


async def test_forget_leaves_no_copy_in_the_sqlite_file_or_its_wal(db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("the raw-file check is about SQLite's file and write-ahead log")
    path = Path(db_url.split("///", 1)[1])
    async with running_bot(db_url) as h:
        async with h.db() as s:  # SQLite builds differ in the default; the bot sets it
            assert (await s.exec(text("PRAGMA secure_delete"))).one()[0] == 1  # type: ignore[call-overload]
        await _history_then_forget(h)
        # Read while the bot still runs: the erase itself must leave no copy behind.
        files = {p.name: p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists()}
        # The check reads real content: the work order's title stays after /forget.
        assert sum(data.count("门禁卡失灵".encode()) for data in files.values()) > 0
        leftovers = {name: _raw_copies(data) for name, data in files.items()}
        assert leftovers == {name: {} for name in files}
