"""The intake API's error answer: a 4xx (or 503) with a code and a reason, as JSON."""

from __future__ import annotations

from typing import Any

from aiohttp import web


class ApiError(Exception):
    """An answer other than success: status, error code and a reason for a person."""

    def __init__(self, status: int, error: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail, self.extra = status, error, detail, extra


def error_response(status: int, error: str, detail: str, **extra: Any) -> web.Response:
    """Build the JSON error body every failure uses."""
    return web.json_response({"error": error, "detail": detail, **extra}, status=status)
