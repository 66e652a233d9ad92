"""Intake API errors never echo a token (the expected one or the one given) or a phone."""

from __future__ import annotations

import pytest

from tests.fixtures.intake_api import API_TOKEN, AUTH, URL, Api, api, order  # noqa: F401  (fixture)

PHONE = "13812345678"


@pytest.mark.parametrize("given", [
    API_TOKEN[:-1] + "X",  # one character off
    API_TOKEN + "0",  # a longer one
    API_TOKEN[:4],  # a prefix
    " " + API_TOKEN.upper(),
])
async def test_a_near_miss_token_is_refused_without_echoing_either_token(
    api: Api, given: str  # noqa: F811
) -> None:
    base, http = api
    async with http.post(base + URL, json=order(), headers={"Authorization": f"Bearer {given}"}
                         ) as resp:
        text = await resp.text()
        assert resp.status == 403
    assert API_TOKEN not in text and given.strip() not in text


async def test_error_bodies_do_not_echo_the_owners_phone(api: Api) -> None:  # noqa: F811
    base, http = api
    bodies = [
        order(owner={"name": "王先生", "phone": PHONE + "9", "building": "3", "room": "1"}),
        order(owner={"name": "王先生", "phone": PHONE, "unknown": PHONE}),
        order(agent_external_id="NOPE", owner={"name": "王先生", "phone": PHONE}),
    ]
    for body in bodies:
        async with http.post(base + URL, json=body, headers=AUTH) as resp:
            text = await resp.text()
            assert resp.status == 422, text
        assert PHONE not in text and API_TOKEN not in text
    # The same external id for another owner: a 409 that names neither phone.
    async with http.post(base + URL, json=order(), headers=AUTH) as resp:
        assert resp.status == 201
    other = order(owner={"name": "李女士", "phone": "13900001111"})
    async with http.post(base + URL, json=other, headers=AUTH) as resp:
        text = await resp.text()
        assert resp.status == 409
    assert "13900001111" not in text and "1234 5678" not in text and PHONE not in text
