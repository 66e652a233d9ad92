"""The intake API over real HTTP: auth, bad input of each kind, idempotency, never 500."""

from __future__ import annotations

import asyncio

import pytest

import bot.api.health
from tests.fixtures.intake_api import AUTH, URL, Api, order


async def _post(api: Api, body: object = None, *, headers: dict[str, str] | None = None,
                data: bytes | str | None = None) -> tuple[int, dict[str, object]]:
    base, http = api
    kwargs: dict[str, object] = {"headers": {**AUTH, **(headers or {})}}
    if data is not None:
        kwargs["data"] = data
    else:
        kwargs["json"] = body
    async with http.post(base + URL, **kwargs) as resp:  # type: ignore[arg-type]
        return resp.status, await resp.json()


async def test_closing_an_order_creates_one_survey_and_replay_returns_the_same(api: Api) -> None:
    status, first = await _post(api, order())
    assert status == 201
    assert first["created"] is True and first["survey_status"] == "skipped_unbound"
    status, again = await _post(api, order())
    assert status == 200
    assert again == {**first, "created": False}


async def test_idempotency_key_replays_the_first_answer_exactly(api: Api) -> None:
    status, first = await _post(api, order(), headers={"Idempotency-Key": "k-1"})
    status2, second = await _post(api, order(), headers={"Idempotency-Key": "k-1"})
    assert (status, first) == (status2, second) == (201, first)
    status3, reused = await _post(api, order(title="other"), headers={"Idempotency-Key": "k-1"})
    assert status3 == 422 and reused["error"] == "idempotency_key_reused"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [({"Authorization": ""}, 401), ({"Authorization": "Basic abc"}, 401),
     ({"Authorization": "Bearer wrong-token"}, 403)],
)
async def test_missing_or_wrong_token_is_refused(
    api: Api, headers: dict[str, str], expected: int
) -> None:
    base, http = api
    async with http.post(base + URL, json=order(), headers=headers) as resp:
        assert resp.status == expected
        body = await resp.json()
    assert body["error"] in {"unauthorized", "forbidden"} and body["detail"]


async def test_malformed_json_is_a_400(api: Api) -> None:
    status, body = await _post(api, data=b'{"external_id": ',
                               headers={"Content-Type": "application/json"})
    assert status == 400 and body["error"] == "invalid_json"


async def test_non_object_json_is_a_400(api: Api) -> None:
    status, body = await _post(api, [1, 2, 3])
    assert status == 400 and "object" in str(body["detail"])


async def test_wrong_content_type_is_a_415(api: Api) -> None:
    status, body = await _post(api, data="external_id=1",
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 415 and body["error"] == "unsupported_media_type"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (order(kind="burglary"), "kind"),
        (order(urgency=3), "urgency"),
        (order(external_id=12345), "external_id"),
        (order(external_id=""), "external_id"),
        (order(owner={"name": "王", "phone": "12345"}), "owner.phone"),
        (order(owner="王先生"), "owner"),
        (order(title="长" * 501), "title"),
        (order(closed_at="yesterday"), "closed_at"),
        (order(opened_at="2026-11-16T10:00:00+08:00",
               first_action_at="2026-11-16T09:59:00+08:00"), "first_action_at"),
        (order(closed_at="2026-11-16T10:00:00Z",
               first_action_at="2026-11-16T10:00:01Z"), "first_action_at"),
        (order(unexpected="x"), "unexpected"),
        ({k: v for k, v in order().items() if k != "community_code"}, "community_code"),
    ],
)
async def test_wrong_types_and_values_are_a_422_naming_the_field(
    api: Api, body: dict[str, object], field: str
) -> None:
    status, answer = await _post(api, body)
    assert status == 422, answer
    assert answer["error"] == "validation_error"
    assert field in [f["field"] for f in answer["fields"]]  # type: ignore[attr-defined]


async def test_unknown_agent_or_community_is_a_422(api: Api) -> None:
    status, body = await _post(api, order(agent_external_id="NOPE"))
    assert status == 422 and "agent" in str(body["detail"])
    status, body = await _post(api, order(community_code="NOPE"))
    assert status == 422 and "community" in str(body["detail"])


async def test_unknown_agent_with_a_name_is_created(api: Api) -> None:
    status, body = await _post(api, order(agent_external_id="A-NEW", agent_name="新客服"))
    assert status == 201 and body["created"] is True


async def test_reusing_an_external_id_for_another_owner_is_a_409(api: Api) -> None:
    await _post(api, order())
    status, body = await _post(api, order(owner={"name": "赵", "phone": "13900001111"}))
    assert status == 409 and body["error"] == "conflict"


async def test_huge_body_is_a_413(api: Api) -> None:
    status, body = await _post(api, order(title="x" * 100_000))
    assert status == 413 and body["error"] == "payload_too_large"


async def test_survey_status_endpoint_reports_the_survey(api: Api) -> None:
    _, created = await _post(api, order())
    base, http = api
    async with http.get(f"{base}/api/v1/surveys/{created['survey_id']}", headers=AUTH) as resp:
        assert resp.status == 200
        body = await resp.json()
    assert body["status"] == "skipped_unbound" and body["work_order_external_id"] == "WO-1001"
    for path, expected in (("/api/v1/surveys/999", 404), ("/api/v1/surveys/abc", 400)):
        async with http.get(base + path, headers=AUTH) as resp:
            assert resp.status == expected
            assert (await resp.json())["error"]
    async with http.get(f"{base}/api/v1/surveys/1") as resp:
        assert resp.status == 401


async def test_health_and_unknown_paths_answer_json(api: Api) -> None:
    base, http = api
    async with http.get(base + "/healthz") as resp:
        assert resp.status == 200 and (await resp.json())["ok"] is True
    async with http.get(base + "/nope") as resp:
        assert resp.status == 404 and (await resp.json())["error"] == "not_found"
    async with http.get(base + URL, headers=AUTH) as resp:
        assert resp.status == 405 and (await resp.json())["error"] == "method_not_allowed"


async def test_every_answer_forbids_caches_and_content_sniffing(api: Api) -> None:
    # A close's answer carries the survey's web link, a secret: no proxy or browser cache may
    # keep it. The port is the public survey page's, so no answer may be sniffed as HTML.
    base, http = api
    requests = [http.post(base + URL, json=order(), headers=AUTH),
                http.post(base + URL, json=order(), headers=AUTH),  # the replayed answer
                http.post(base + URL, json=order(), headers={**AUTH, "Idempotency-Key": "k"}),
                http.post(base + URL, data=b"{", headers=AUTH), http.get(base + "/nope"),
                http.get(base + "/api/v1/surveys/1", headers=AUTH), http.get(base + "/healthz"),
                http.get(base + "/api/v1/surveys/1")]
    for request in requests:
        async with request as resp:
            assert resp.headers.get("Cache-Control") == "no-store", (resp.url, resp.status)
            assert resp.headers.get("X-Content-Type-Options") == "nosniff", resp.url


async def test_a_flood_of_health_checks_counts_the_outbox_once_a_second(
        api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    # /healthz needs no token and shares the public survey port: with a backlog of 200,000
    # queued messages its count costs the database ~20 ms, so a flood must not repeat it.
    base, http = api
    counted: list[int] = []

    async def count(*, db: object) -> int:
        counted.append(1)
        await asyncio.sleep(0.05)  # a count over a backlog takes a moment
        return 7

    monkeypatch.setattr(bot.api.health, "pending_count", count)

    async def check() -> dict[str, object]:
        async with http.get(base + "/healthz") as resp:
            assert resp.status == 200
            answer: dict[str, object] = await resp.json()
            return answer

    answers = await asyncio.gather(*(check() for _ in range(30)))
    answers.append(await check())
    assert all(a == {"ok": True, "database": True, "outbox_pending": 7} for a in answers)
    assert len(counted) == 1
    await asyncio.sleep(bot.api.health.HEALTH_FRESH_SECONDS + 0.1)
    await check()
    assert len(counted) == 2  # a second later the answer is fresh again


@pytest.mark.parametrize(
    "data",
    [b"", b"null", b"\xff\xfe", b'{"owner": {"phone": []}}', b'"x"', b"1e999",
     b'{"external_id": "A", "owner": null}', b"[" * 5000 + b"]" * 5000],
)
async def test_garbage_never_causes_a_500(api: Api, data: bytes) -> None:
    status, body = await _post(api, data=data, headers={"Content-Type": "application/json"})
    assert 400 <= status < 500, (status, body)
    assert body["error"] and body["detail"]


async def test_a_first_action_time_between_opened_and_closed_is_accepted(api: Api) -> None:
    status, answer = await _post(api, order(opened_at="2026-11-16T08:00:00+08:00",
                                            first_action_at="2026-11-16T08:40:00+08:00",
                                            closed_at="2026-11-16T15:00:00+08:00"))
    assert status == 201, answer


async def test_a_survey_id_no_row_can_have_is_a_404_not_a_database_outage(api: Api) -> None:
    base, http = api
    # Ids are INTEGER columns: PostgreSQL refuses a larger number before looking.
    for survey_id in (2**31, 3_000_000_000, 2**62 - 1):
        async with http.get(f"{base}/api/v1/surveys/{survey_id}", headers=AUTH) as resp:
            assert (resp.status, "Retry-After" in resp.headers) == (404, False), survey_id
            assert (await resp.json())["error"] == "not_found"
