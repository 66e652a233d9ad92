"""Read what an HTTP client sent, whatever it sent: headers, encoded bodies and JSON.

aiohttp's own decompression is switched off (`HANDLER_ARGS`): a corrupt gzip body made it
raise while reading and again while draining the connection, and it put no bound on what a
small compressed body expands to. Here every failure is an `ApiError` with a 4xx and a code.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from aiohttp import web

from bot.api.errors import ApiError

HANDLER_ARGS = {"auto_decompress": False}
# zlib's wbits: 16 + MAX_WBITS reads gzip, MAX_WBITS a zlib stream (what "deflate" means).
_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
MAX_NUMBER_CHARS = 64  # no field takes a number this long; Python's int parsing is quadratic


def printable_header(request: web.Request, name: str) -> str | None:
    """Return a header that is printable ASCII, "" when it is not, None when absent."""
    value = request.headers.get(name)
    if value is None:
        return None
    return value if value.isascii() and value.isprintable() else ""


async def read_body(request: web.Request, limit: int) -> bytes:
    """Return the body, decoded from gzip or deflate, refusing more than `limit` bytes."""
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, "payload_too_large", f"body larger than {limit} bytes")
    encoding = (printable_header(request, "Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", *_WBITS):
        raise ApiError(415, "unsupported_media_type",
                       "Content-Encoding must be gzip, deflate or identity")
    raw = await request.read()  # aiohttp refuses bodies over client_max_size with 413
    if encoding != "identity":
        raw = _decompress(raw, _WBITS[encoding], limit)
    if len(raw) > limit:
        raise ApiError(413, "payload_too_large", f"body larger than {limit} bytes")
    return raw


def _decompress(data: bytes, wbits: int, limit: int) -> bytes:
    decoder = zlib.decompressobj(wbits)
    try:
        out = decoder.decompress(data, limit + 1)  # a bomb stops at limit + 1 bytes
    except zlib.error as exc:
        raise ApiError(400, "invalid_encoding", "the body is not valid for its "
                       "Content-Encoding") from exc
    if len(out) > limit:
        raise ApiError(413, "payload_too_large", f"body larger than {limit} bytes once decoded")
    if not decoder.eof or decoder.unused_data:
        raise ApiError(400, "invalid_encoding", "the compressed body is truncated or has "
                       "trailing bytes")
    return out


def _number(kind: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        if len(text) > MAX_NUMBER_CHARS:
            raise ValueError(f"a number has more than {MAX_NUMBER_CHARS} characters")
        return kind(text)

    return parse


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


def parse_json(raw: bytes) -> Any:
    """Parse a UTF-8 JSON body strictly (no NaN/Infinity, no endless numbers) or refuse it."""
    try:
        return json.loads(raw.decode("utf-8"), parse_int=_number(int),
                          parse_float=_number(float), parse_constant=_no_constant)
    except UnicodeDecodeError as exc:
        raise ApiError(400, "invalid_json", "body is not UTF-8") from exc
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        raise ApiError(400, "invalid_json", f"body is not valid JSON: {exc}") from exc
