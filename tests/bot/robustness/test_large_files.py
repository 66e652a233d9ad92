"""A file Telegram refuses as too large is not tried again: the manager is told what to do.

Telegram answers an upload over its limit (50 MB for a bot) with HTTP 413 "Request Entity
Too Large" — as JSON, or as a proxy's HTML page in front of a local Bot API server — and a
local server with 400 "file is too big". aiogram and PTB both file a 413 as a network error,
which used to make the export a transient failure, tried again and then answered with "something
went wrong". Now it is refused for good at the first answer, and the manager reads, in their
language, that the file is too large and which command writes it on the server.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.i18n import translator
from tests.bot.roles.conftest import staff_world
from tests.fixtures.chat import running_bot

ZH = translator("zh_CN")
SORRY = "系统暂时出了点问题"
TOO_LARGE_FAULTS = [
    pytest.param({"kind": "status", "status": 413, "description": "Request Entity Too Large"},
                 id="telegram-413"),
    pytest.param({"kind": "proxy_page", "status": 413}, id="nginx-413-page"),
    pytest.param({"kind": "status", "status": 400, "description": "Bad Request: file is too big"},
                 id="local-server-400"),
]


@pytest.mark.parametrize("fault", TOO_LARGE_FAULTS)
async def test_an_export_refused_as_too_large_is_sent_once_and_the_manager_told_the_command(
    db_url: str, fault: dict[str, object], errors_logged: Callable[[], list[str]]
) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        await h.client.inject_fault("sendDocument", count=5, **fault)  # type: ignore[arg-type]
        told = await world.manager.send("/export 2026-11")
        uploads = await h.client.requests(h.token, "sendDocument")
        await h.outbox_idle()
        messages = await world.manager.messages()
    assert told["text"] == ZH._(
        "{name} ({size} MB) is larger than Telegram lets a bot send, so it was not sent. An "
        "administrator can write it on the server: {command}", name="ownervoice-2026-11.xlsx",
        size="0.0", command="ownervoice report --period 2026-11 --format xlsx "
                            "--out ownervoice-2026-11.xlsx")
    assert told["text"].startswith("ownervoice-2026-11.xlsx（0.0 MB）超过了 Telegram")
    assert len(uploads) == 1  # refused for good: not tried again
    assert all(SORRY not in (m["text"] or "") for m in messages)
    assert errors_logged() == []


async def test_a_chart_too_large_is_explained_in_the_managers_language_and_the_next_sent(
    db_url: str,
) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        await world.manager.send("/language en")
        await h.client.inject_fault("sendPhoto", "status", status=413,
                                    description="Request Entity Too Large")
        told = await world.manager.send("/chart 2026-11")
        # the second picture (complaints by building) fits and follows
        await h.client.wait_for(h.token, world.manager.chat_id,
                                predicate=lambda m: bool(m.get("photo")))
        uploads = await h.client.requests(h.token, "sendPhoto")
    assert told["text"].startswith("ownervoice-2026-11.png (0.0 MB) is larger than Telegram "
                                   "lets a bot send")
    assert told["text"].endswith("ownervoice report --period 2026-11 --format png "
                                 "--out ownervoice-2026-11.png")
    assert len(uploads) == 2  # the refused one once, then the next picture
