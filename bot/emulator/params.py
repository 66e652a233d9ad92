"""Read Bot API parameters from JSON, url-encoded forms and multipart uploads."""

from __future__ import annotations

import contextlib
import json
import mimetypes
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.emulator.errors import bad_request

JSON_FIELDS = frozenset(
    {
        "reply_markup", "allowed_updates", "commands", "scope", "reply_parameters",
        "link_preview_options", "entities", "caption_entities", "menu_button", "media",
        "message_ids", "reaction",
    }
)


@dataclass
class UploadedFile:
    """A file part of a multipart request."""

    data: bytes
    filename: str | None
    mime_type: str | None

    def info(self) -> dict[str, Any]:
        """Return a JSON summary for the request log."""
        return {"filename": self.filename, "mime_type": self.mime_type, "size": len(self.data)}


class Params:
    """Typed access to one call's parameters, however they were encoded."""

    def __init__(self, values: dict[str, Any], files: dict[str, UploadedFile] | None = None):
        self.values = values
        self.files = files or {}

    def raw(self, name: str) -> Any:
        """Return the value as received, or None."""
        return self.values.get(name)

    def string(self, name: str) -> str | None:
        """Return a string parameter."""
        value = self.values.get(name)
        if value is None:
            return None
        return value if isinstance(value, str) else str(value)

    def integer(self, name: str, default: int | None = None) -> int | None:
        """Return an integer parameter (strings of digits are accepted)."""
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f'field "{name}" must be a valid Number') from None

    def number(self, name: str, default: float = 0.0) -> float:
        """Return a number parameter."""
        value = self.values.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f'field "{name}" must be a valid Number') from None

    def flag(self, name: str, default: bool = False) -> bool:
        """Return a boolean parameter ('true'/'false' strings are accepted)."""
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1", "yes")
        return bool(value)

    def decoded(self, name: str) -> Any:
        """Return a structured parameter, decoding it if it arrived as a JSON string."""
        value = self.values.get(name)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except ValueError:
                if name == "reply_markup":
                    raise bad_request("can't parse reply keyboard markup JSON object") from None
                raise bad_request(f"can't parse {name} JSON object") from None
        return value

    def file(self, name: str) -> UploadedFile | str | None:
        """Return an uploaded file (direct part or attach://) or a file_id / URL string."""
        if name in self.files:
            return self.files[name]
        value = self.string(name)
        if value and value.startswith("attach://"):
            attached = self.files.get(value[len("attach://"):])
            if attached is None:
                raise bad_request(f"can't find attached file \"{value}\"")
            return attached
        return value

    def loggable(self) -> dict[str, Any]:
        """Return the parameters as JSON for the request log (files summarised)."""
        out: dict[str, Any] = {}
        for key, value in self.values.items():
            if key in JSON_FIELDS and isinstance(value, str):
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
            out[key] = value
        for key, upload in self.files.items():
            out[key] = upload.info()
        return out


async def read_params(request: web.Request) -> Params:
    """Collect query, JSON, form and multipart parameters of a Bot API request."""
    values: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if request.method != "POST" or not request.can_read_body:
        return Params(values)
    ctype = request.content_type
    if ctype == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON encoded request") from None
        if isinstance(body, dict):
            values.update(body)
        return Params(values)
    if ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, item in form.items():
            if isinstance(item, web.FileField):
                data = item.file.read()
                mime = item.content_type
                if not mime or mime == "application/octet-stream":
                    mime = mimetypes.guess_type(item.filename or "")[0] or mime
                files[key] = UploadedFile(data, item.filename, mime)
            else:
                values[key] = item if isinstance(item, str) else bytes(item).decode()
        return Params(values, files)
    return Params(values)
