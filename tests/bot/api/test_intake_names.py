"""The intake refuses control characters in names (422 naming field and code point)."""

from __future__ import annotations

import pytest

from tests.fixtures.intake_api import Api, order, post_order

OWNER = {"name": "王先生", "phone": "13812345678", "building": "3", "room": "1201"}


@pytest.mark.parametrize(
    ("body", "field", "code_point"),
    [
        (order(owner={**OWNER, "name": "王\u0007先生"}), "owner.name", "U+0007"),
        (order(owner={**OWNER, "building": "3\u001b[2J"}), "owner.building", "U+001B"),
        (order(owner={**OWNER, "room": "12\n01"}), "owner.room", "U+000A"),
        (order(agent_external_id="A-NEW", agent_name="新\u0085客服"), "agent_name", "U+0085"),
        (order(agent_external_id="A\x00"), "agent_external_id", "U+0000"),
        (order(community_code="G\tG"), "community_code", "U+0009"),
        (order(title="漏水\u0007"), "title", "U+0007"),
    ],
)
async def test_a_control_character_in_a_name_is_a_422_naming_it(
    api: Api, body: dict[str, object], field: str, code_point: str
) -> None:
    status, answer = await post_order(api, body)
    assert status == 422, answer
    fields = {f["field"]: f["message"] for f in answer["fields"]}  # type: ignore[attr-defined]
    assert code_point in fields[field], fields


async def test_a_title_may_hold_line_breaks_and_tabs(api: Api) -> None:
    status, answer = await post_order(api, order(title="厨房水管漏水\r\n已更换\t阀门"))
    assert status == 201, answer
