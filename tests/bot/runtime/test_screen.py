"""The getUpdates screen: unreadable updates become bare ids, everything else is untouched."""

from __future__ import annotations

import json
from typing import Any

from bot.runtime.screen import screen_updates

GOOD = {"update_id": 7, "message": {"text": "/help"}}
BAD = {"update_id": 8, "message": {"poll": {"question": "电梯什么时候修好？"}}}


def _readable(update: dict[str, Any]) -> bool:
    return "poll" not in update.get("message", {})


def test_an_answer_of_readable_updates_is_left_as_it_came() -> None:
    body = json.dumps({"ok": True, "result": [GOOD]})
    assert screen_updates(body, _readable) is None


def test_an_unreadable_update_keeps_only_its_id_and_its_place() -> None:
    body = json.dumps({"ok": True, "result": [GOOD, BAD, {**GOOD, "update_id": 9}]})
    screened = screen_updates(body, _readable)
    assert screened is not None
    assert json.loads(screened) == {"ok": True, "result": [GOOD, {"update_id": 8},
                                                           {**GOOD, "update_id": 9}]}


def test_an_update_without_an_id_is_dropped_and_other_answers_pass_through() -> None:
    screened = screen_updates(json.dumps({"ok": True, "result": [["x"], GOOD]}), _readable)
    assert screened is not None and json.loads(screened)["result"] == [GOOD]
    for body in ("<html>502</html>", json.dumps({"ok": False, "error_code": 409}), "[]"):
        assert screen_updates(body, _readable) is None
