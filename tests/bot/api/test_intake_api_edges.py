"""The intake API at the edges an outside review found 500s at: each is a 4xx with a code."""

from __future__ import annotations

import gzip
import io
import json
import logging

import pytest
from yarl import URL as Url

from bot.logging import setup_logging
from tests.fixtures.intake_api import API_TOKEN, Api, order
from tests.fixtures.raw_http import RawAnswer, raw_post

PATH = "/api/v1/work-orders/close"
JSON = (b"Content-Type", b"application/json")
AUTH = (b"Authorization", f"Bearer {API_TOKEN}".encode())


async def _raw(api: Api, body: bytes, headers: list[tuple[bytes, bytes]]) -> RawAnswer:
    url = Url(api[0])
    assert url.host is not None and url.port is not None
    return await raw_post(url.host, url.port, PATH, headers=headers, body=body)


def _refused(answer: RawAnswer, status: int, error: str) -> None:
    assert answer.status == status, (answer.status, answer.body[:300])
    body = answer.json()
    assert body["error"] == error and body["detail"], body


@pytest.mark.parametrize(
    ("field", "value"),
    [("opened_at", "0001-01-01T00:00:00+08:00"), ("closed_at", "9999-12-31T23:59:59-08:00"),
     ("opened_at", "0001-01-01T00:00:00"), ("closed_at", "9999-12-31T23:59:59Z"),
     ("closed_at", "1900-01-01T00:00:00Z")],
)
async def test_a_time_out_of_any_work_orders_range_is_a_422_naming_the_field(
    api: Api, field: str, value: str
) -> None:
    answer = await _raw(api, json.dumps(order(**{field: value})).encode(), [AUTH, JSON])
    _refused(answer, 422, "validation_error")
    assert field in [f["field"] for f in answer.json()["fields"]]


@pytest.mark.parametrize("number", [b"9" * 5000, b"-" + b"1" * 4301, b"1" * 4000 + b".5e1",
                                    b"NaN", b"-Infinity"])
async def test_a_number_with_thousands_of_digits_is_a_400_invalid_json(
    api: Api, number: bytes
) -> None:
    body = b'{"external_id": "WO-1", "title": ' + number + b"}"
    _refused(await _raw(api, body, [AUTH, JSON]), 400, "invalid_json")


@pytest.mark.parametrize("value", [b"Bearer \xff\xfe", b"Bearer " + API_TOKEN.encode() + b"\xe9",
                                   b"\xc3\x28 token", b"Bearer \xe4\xbd\xa0\xe5\xa5\xbd"])
async def test_non_utf8_or_non_ascii_bytes_in_authorization_are_refused_with_a_code(
    api: Api, value: bytes
) -> None:
    answer = await _raw(api, json.dumps(order()).encode(), [(b"Authorization", value), JSON])
    assert answer.status in (401, 403), answer
    assert answer.json()["error"] in ("unauthorized", "forbidden")


@pytest.mark.parametrize("value", [b"k-\xff\xfe", b"\xc3\x28", b"\xe4\xbd\xa0\xe5\xa5\xbd"])
async def test_non_ascii_or_control_bytes_in_the_idempotency_key_are_a_400(
    api: Api, value: bytes
) -> None:
    answer = await _raw(api, json.dumps(order()).encode(),
                        [AUTH, JSON, (b"Idempotency-Key", value)])
    _refused(answer, 400, "bad_request")
    assert "Idempotency-Key" in answer.json()["detail"]


async def test_a_control_byte_in_a_header_is_a_400_from_the_http_parser(api: Api) -> None:
    # aiohttp's parser refuses it before the application sees it (plain-text 400).
    answer = await _raw(api, b"{}", [AUTH, JSON, (b"Idempotency-Key", b"k\x01-1")])
    assert answer.status == 400
    again = await _raw(api, json.dumps(order()).encode(), [AUTH, JSON])
    assert again.status == 201


async def test_a_malformed_request_is_logged_in_one_line_without_a_traceback(api: Api) -> None:
    # Anyone who can reach the port (the web survey's is public) can send these: each one must
    # not put an ERROR and a parser traceback in the operators' log.
    stream = io.StringIO()
    handler = setup_logging("INFO", stream)
    try:
        twice = await _raw(api, b"{}", [AUTH, JSON, (b"Content-Type", b"text/plain")])
        control = await _raw(api, b"{}", [AUTH, JSON, (b"X-Note", b"a\x01b")])
    finally:
        logging.getLogger().removeHandler(handler)
    assert twice.status == 400 and control.status == 400
    log = stream.getvalue()
    assert "Traceback" not in log and "ERROR" not in log, log
    refused = [line for line in log.splitlines() if "malformed HTTP request" in line]
    assert len(refused) == 2 and "Duplicate 'Content-Type' header" in refused[0], log


# mtime=0: the gzip header holds no clock, so the test ids are the same in every xdist worker.
@pytest.mark.parametrize(
    ("encoding", "body"),
    [(b"gzip", b"\x1f\x8b\x08\x00garbage-not-gzip"),
     (b"gzip", gzip.compress(b"{}", mtime=0)[:-6]),
     (b"deflate", b"not deflate at all"), (b"br", b"\x00\x01\x02"), (b"x-unknown", b"{}")],
)
async def test_a_corrupt_or_unknown_content_encoding_is_a_4xx_with_a_code(
    api: Api, encoding: bytes, body: bytes
) -> None:
    answer = await _raw(api, body, [AUTH, JSON, (b"Content-Encoding", encoding)])
    assert 400 <= answer.status < 500, (answer.status, answer.body[:300])
    assert answer.json()["error"] in ("invalid_encoding", "unsupported_media_type")


async def test_a_well_formed_gzip_body_is_accepted(api: Api) -> None:
    body = gzip.compress(json.dumps(order()).encode())
    answer = await _raw(api, body, [AUTH, JSON, (b"Content-Encoding", b"gzip")])
    assert answer.status == 201, answer
