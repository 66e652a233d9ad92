"""getUpdates answered by something other than Telegram's JSON: polling goes on by itself.

A Bot API server of another make, or a proxy in front of one, may answer a poll with an
HTML error page (502/504), a 200 whose body is not JSON, a 200 carrying `"ok": false`, or a
result of the wrong shape, or the connection may be reset after the server took the updates
off its queue (drop_after). None of them holds an update the bot could lose: the next poll
asks again from the same offset, so the owner's message is answered, and once.
"""

from __future__ import annotations

import pytest

from tests.fixtures.chat import OWNERS, running_bot

pytestmark = pytest.mark.timeout(180)


@pytest.mark.parametrize("kind,status", [("proxy_page", 502), ("not_json", 200),
                                         ("ok_false", 500), ("garbled", 200),
                                         ("drop_after", 200)])
async def test_a_poll_answered_with_no_telegram_json_is_asked_again_and_the_message_answered_once(
        db_url: str, kind: str, status: int) -> None:
    async with running_bot(db_url) as h:
        owner = h.owner(OWNERS[0])
        first = await owner.send("/help")
        await h.client.inject_fault("getUpdates", kind, count=2, status=status)
        before = len(await owner.messages())
        await h.client.send_text(h.token, owner.chat_id, "/help")
        replies = await h.client.wait_for(h.token, owner.chat_id, count=before + 1,
                                          timeout=90)
        assert replies[before]["text"] == first["text"]
        await h.client.send_text(h.token, owner.chat_id, "/help")  # polling still goes on
        replies = await h.client.wait_for(h.token, owner.chat_id, count=before + 2,
                                          timeout=60)
        helps = [m for m in replies if m["text"] == first["text"]]
        assert len(helps) == 3, f"{len(helps)} answers to three /help"
        polls = await h.client.requests(h.token, "getUpdates")
        assert len([p for p in polls if p.get("fault")]) == 2  # both polls met it
