"""Read the survey form out of a page and post it back, as a browser without scripts would."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import aiohttp

FORM = "application/x-www-form-urlencoded"


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("type") == "hidden" and values.get("name"):
            self.hidden[values["name"] or ""] = values.get("value") or ""


def hidden_fields(html: str) -> dict[str, str]:
    """Return the hidden inputs of the page's form (nonce, csrf, lang)."""
    parser = _Inputs()
    parser.feed(html)
    return parser.hidden


def checked(html: str) -> dict[str, int]:
    """Return the ratings the form shows as chosen."""
    return {m[0]: int(m[1]) for m in re.findall(
        r'<input type="radio" id="\w+-\d" name="(\w+)" value="(\d)" checked>', html)}


async def fetch_form(http: aiohttp.ClientSession, url: str, **headers: str) -> dict[str, str]:
    """Open the page and return its hidden fields."""
    async with http.get(url, headers=headers) as resp:
        assert resp.status == 200, await resp.text()
        return hidden_fields(await resp.text())


async def post_form(http: aiohttp.ClientSession, url: str, fields: dict[str, str],
                    ) -> tuple[int, str, str | None]:
    """Post fields urlencoded; return (status, body, Location) without following redirects."""
    async with http.post(url, data=fields, allow_redirects=False) as resp:
        return resp.status, await resp.text(), resp.headers.get("Location")
