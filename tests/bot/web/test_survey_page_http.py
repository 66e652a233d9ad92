"""The survey page over real HTTP: what it shows, headers, languages, answering, replay."""

from __future__ import annotations

import base64
import hashlib
import re
from types import SimpleNamespace

import aiohttp
from aiohttp.test_utils import TestServer
from sqlmodel import select

from bot.webhook import create_webhook_app
from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from surveys.models import Complaint, Response
from surveys.people.directory import add_owner
from tests.bot.web.forms import checked, fetch_form, hidden_fields, post_form
from tests.fixtures.service_world import setup_people
from tests.fixtures.web import Site, unbound_survey_link, web_settings

ALL = {"overall": "5", "attitude": "4", "clarity": "5", "timeliness": "4"}
PAGE_LIMIT = 50 * 1024


async def test_the_page_shows_the_order_the_agent_and_four_star_questions(
        site: Site, db: SessionFactory, clock: FrozenClock) -> None:
    link = await unbound_survey_link(db, site.settings, title="厨房水管漏水")
    async with site.http.get(site.path(link)) as resp:
        assert resp.status == 200 and resp.content_type == "text/html"
        html = await resp.text()
    assert "满意度回访" in html and "厨房水管漏水" in html and "WO-1" in html
    assert "服务客服：李客服" in html
    for label in ("总体满意度", "服务态度", "表达清晰", "及时性"):
        assert label in html
    assert len(re.findall(r'type="radio"', html)) == 20
    assert "<script" not in html.lower()
    assert len(html.encode()) < PAGE_LIMIT


async def test_the_page_shows_only_the_owners_surname_and_unit(
        site: Site, db: SessionFactory, clock: FrozenClock) -> None:
    await add_owner(db=db, community_code="GG", name="王小明", phone="13812345678",
                    building="3", room="1201")
    link = await unbound_survey_link(db, site.settings)
    async with site.http.get(site.path(link)) as resp:
        html = await resp.text()
    assert "王先生/女士（3-1201）" in html
    for private in ("小明", "13812345678", "1234", "5678"):
        assert private not in html


async def test_every_page_carries_the_security_headers_and_no_cookie(
        site: Site, db: SessionFactory, clock: FrozenClock) -> None:
    link = await unbound_survey_link(db, site.settings)
    for url in (site.path(link), f"{site.base}/s/{'x' * 44}"):
        async with site.http.get(url) as resp:
            html = await resp.text()
            headers = resp.headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "script-src" not in csp
        style = re.search(r"<style>(.*?)</style>", html, re.S)
        assert style is not None
        digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp  # exactly the inline style is allowed
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY" and headers["Cache-Control"] == "no-store"
        assert "Set-Cookie" not in headers


async def test_the_language_follows_the_switch_then_the_browser_then_chinese(
        site: Site, db: SessionFactory, clock: FrozenClock) -> None:
    link = await unbound_survey_link(db, site.settings)
    cases = [({}, "", "满意度回访", "zh-CN"),
             ({"Accept-Language": "en-US,en;q=0.9"}, "", "Owner satisfaction survey", "en"),
             ({"Accept-Language": "fr,en;q=0.5,zh;q=0.8"}, "", "满意度回访", "zh-CN"),
             ({"Accept-Language": "en"}, "?lang=zh", "满意度回访", "zh-CN"),
             ({}, "?lang=en", "Overall satisfaction", "en"),
             ({}, "?lang=xx", "满意度回访", "zh-CN")]
    for headers, query, text, language in cases:
        async with site.http.get(site.path(link) + query, headers=headers) as resp:
            html = await resp.text()
            assert resp.headers["Content-Language"] == language
        assert text in html, (headers, query)
        assert f'<html lang="{language}">' in html


async def test_submitting_the_form_thanks_the_owner_and_closes_the_link(
        site: Site, db: SessionFactory, clock: FrozenClock) -> None:
    link = await unbound_survey_link(db, site.settings)
    fields = await fetch_form(site.http, site.path(link))
    status, _, location = await post_form(site.http, site.path(link),
                                          {**fields, **ALL, "comment": "师傅很专业"})
    assert status == 303 and location == f"{link.url.rsplit('/', 1)[1]}/done?lang=zh_CN"
    async with site.http.get(site.path(link, "/done")) as resp:
        assert resp.status == 200
        assert "感谢您的反馈" in await resp.text()
    async with site.http.get(site.path(link)) as resp:
        assert resp.status == 409
        assert "您已在本网页上完成本次回访" in await resp.text()
    async with db() as s:
        response = (await s.exec(select(Response))).one()
    assert (response.channel, response.overall, response.comment) == ("web", 5, "师傅很专业")


async def test_a_low_rating_is_thanked_with_an_apology_and_opens_a_complaint(
        site: Site, db: SessionFactory, clock: FrozenClock) -> None:
    link = await unbound_survey_link(db, site.settings)
    fields = await fetch_form(site.http, site.path(link), **{"Accept-Language": "en"})
    status, _, location = await post_form(site.http, site.path(link),
                                          {**fields, **ALL, "attitude": "1", "comment": ""})
    assert status == 303 and location is not None and location.endswith("?lang=en")
    async with site.http.get(site.path(link, "/done?lang=en")) as resp:
        assert "We are sorry the service fell short" in await resp.text()
    async with db() as s:
        assert (await s.exec(select(Complaint))).one().source == "low_rating"


async def test_a_missing_rating_shows_the_form_again_with_the_choices_kept(
        site: Site, db: SessionFactory, clock: FrozenClock) -> None:
    link = await unbound_survey_link(db, site.settings)
    fields = await fetch_form(site.http, site.path(link))
    status, html, _ = await post_form(site.http, site.path(link),
                                      {**fields, "overall": "3", "clarity": "2",
                                       "comment": "还行"})
    assert status == 422
    assert "请为每一项评分后再提交" in html and html.count("请选择") == 2
    assert checked(html) == {"overall": 3, "clarity": 2} and "还行</textarea>" in html
    fresh = hidden_fields(html)  # the re-shown form can be posted as it is
    status, _, _ = await post_form(site.http, site.path(link),
                                   {**fresh, "overall": "3", "clarity": "2", "attitude": "4",
                                    "timeliness": "4", "comment": "还行"})
    assert status == 303


async def test_the_same_post_twice_is_one_answer_and_a_changed_one_is_refused(
        site: Site, db: SessionFactory, clock: FrozenClock) -> None:
    link = await unbound_survey_link(db, site.settings)
    form = {**await fetch_form(site.http, site.path(link)), **ALL, "overall": "2"}
    first = await post_form(site.http, site.path(link), form)
    replay = await post_form(site.http, site.path(link), form)
    assert first[0] == replay[0] == 303 and first[2] == replay[2]
    changed, html, _ = await post_form(site.http, site.path(link), {**form, "overall": "5"})
    assert changed == 409 and "已" in html
    async with db() as s:
        responses = (await s.exec(select(Response))).all()
        complaints = (await s.exec(select(Complaint))).all()
    assert [r.overall for r in responses] == [2] and len(complaints) == 1


async def test_the_webhook_server_serves_the_page_too(db: SessionFactory,
                                                      clock: FrozenClock) -> None:
    settings = web_settings()
    await setup_people(db)
    link = await unbound_survey_link(db, settings)
    bot_app = SimpleNamespace(db=db, settings=settings, wake_dispatcher=lambda: None)
    server = TestServer(create_webhook_app(bot_app, path="/telegram/webhook", secret="s"),
                        host="127.0.0.1", port=0)
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as http:
            url = str(server.make_url(f"/s/{link.url.rsplit('/', 1)[1]}"))
            fields = await fetch_form(http, url)
            status, _, location = await post_form(http, url, {**fields, **ALL})
    finally:
        await server.close()
    assert status == 303 and location is not None and location.endswith("/done?lang=zh_CN")
