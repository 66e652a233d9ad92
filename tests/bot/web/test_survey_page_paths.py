"""Whatever an owner's browser asks for under /s/ is a page in the owner's language, never
the intake API's JSON; a link with something stuck to its end still opens its survey."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import quote

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.webhook import create_webhook_app
from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from tests.fixtures.service_world import setup_people
from tests.fixtures.web import Site, token_of, unbound_survey_link, web_settings

# What ends up glued to a link: a copied slash, and the Chinese text after it in an SMS,
# which phones' link finders take into the link (CJK characters are allowed in URLs).
STUCK_ON = ["/", "。", "，请在7天内填写", "）", "/done/", "%20"]


@pytest.mark.parametrize("suffix", STUCK_ON)
async def test_a_link_with_something_stuck_to_its_end_leads_to_its_survey(
        site: Site, db: SessionFactory, clock: FrozenClock, suffix: str) -> None:
    link = await unbound_survey_link(db, site.settings)
    url = site.path(link) + (suffix if suffix.startswith("%") else quote(suffix))
    async with site.http.get(url, allow_redirects=False) as resp:
        assert resp.status == 303, await resp.text()
    async with site.http.get(url) as resp:  # as a browser follows it
        html = await resp.text()
        assert resp.status == 200, html
        assert str(resp.url).split("?")[0] == site.path(link)
    assert '<form class="card" method="post"' in html and 'name="csrf"' in html


@pytest.mark.parametrize("path", ["/s/", "/s/abc/def", "/s/x/y/z", "/s/" + "b" * 44 + "/x"])
async def test_any_other_path_under_the_link_prefix_is_the_polite_404_page(
        site: Site, db: SessionFactory, clock: FrozenClock, path: str) -> None:
    async with site.http.get(site.base + path, allow_redirects=True) as resp:
        body = await resp.text()
        assert resp.status == 404
        assert resp.content_type == "text/html", body
    assert "此回访链接无效" in body and "not_found" not in body


async def test_a_method_no_page_uses_gets_a_polite_page_not_json(
        site: Site, db: SessionFactory, clock: FrozenClock) -> None:
    link = await unbound_survey_link(db, site.settings)
    for method in ("PUT", "DELETE", "PATCH"):
        for url in (site.path(link), site.path(link, "/done"), site.path(link, "/")):
            async with site.http.request(method, url, allow_redirects=False) as resp:
                body = await resp.text()
                assert resp.status == 405, (method, url, body)
                assert resp.content_type == "text/html", body
                assert "method_not_allowed" not in body and "无法读取" in body
    async with site.http.get(site.path(link)) as resp:  # the survey is still there to answer
        assert resp.status == 200


async def test_the_webhook_server_sends_such_links_on_and_answers_other_paths_with_pages(
        db: SessionFactory, clock: FrozenClock) -> None:
    settings = web_settings()
    await setup_people(db)
    link = await unbound_survey_link(db, settings)
    bot_app = SimpleNamespace(db=db, settings=settings, wake_dispatcher=lambda: None)
    server = TestServer(create_webhook_app(bot_app, path="/telegram/webhook", secret="s"),
                        host="127.0.0.1", port=0)
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as http:
            page = str(server.make_url(f"/s/{token_of(link)}"))
            async with http.get(page + "/", allow_redirects=False) as resp:
                assert resp.status == 303
            async with http.get(page + "/") as resp:
                assert resp.status == 200 and 'name="csrf"' in await resp.text()
            async with http.get(str(server.make_url("/s/x/y"))) as resp:
                assert resp.status == 404 and resp.content_type == "text/html"
    finally:
        await server.close()
