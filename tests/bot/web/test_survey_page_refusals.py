"""Every bad link and bad post gets a polite page with a 4xx status, and changes nothing."""

from __future__ import annotations

import io
import logging
import time
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.logging import setup_logging
from bot.web import settings_link_key
from bot.web.security import new_csrf
from surveys.core.clock import FrozenClock
from surveys.core.config import ComplaintConfig, SurveyConfig
from surveys.core.db import SessionFactory
from surveys.models import ApiRequest, Response
from surveys.survey.answers import record_rating, submit_survey
from surveys.survey.links import token_hash
from tests.bot.web.forms import fetch_form, post_form
from tests.fixtures.intake_api import AUTH, order
from tests.fixtures.raw_http import raw_post
from tests.fixtures.web import (
    Site,
    bound_survey_link,
    serve_site,
    token_of,
    unbound_survey_link,
    web_settings,
)

ALL = {"overall": "5", "attitude": "4", "clarity": "5", "timeliness": "4"}


async def _page(site: Site, url: str) -> tuple[int, str]:
    async with site.http.get(url) as resp:
        return resp.status, await resp.text()


async def _nothing_stored(db: SessionFactory) -> bool:
    async with db() as s:
        return not (await s.exec(select(Response))).all()


@pytest.mark.parametrize("token", ["x" * 44, "short", "a" * 45, "%2e%2e%2fadmin", "中文链接"])
async def test_an_unknown_or_malformed_link_is_a_polite_404(
        site: Site, db: SessionFactory, clock: FrozenClock, token: str) -> None:
    status, html = await _page(site, f"{site.base}/s/{token}")
    assert status == 404 and "此回访链接无效" in html and "Traceback" not in html


async def test_a_link_with_one_character_changed_is_a_404(
        site: Site, db: SessionFactory, clock: FrozenClock) -> None:
    link = await unbound_survey_link(db, site.settings)
    token = token_of(link)
    forged = token[:30] + ("A" if token[30] != "A" else "B") + token[31:]
    for url in (f"{site.base}/s/{forged}", f"{site.base}/s/{forged}/done"):
        assert (await _page(site, url))[0] == 404
    fields = await fetch_form(site.http, site.path(link))
    status, _, _ = await post_form(site.http, f"{site.base}/s/{forged}", {**fields, **ALL})
    assert status in {403, 404} and await _nothing_stored(db)


async def test_an_expired_link_is_a_polite_410(site: Site, db: SessionFactory,
                                               clock: FrozenClock) -> None:
    link = await unbound_survey_link(db, site.settings)
    fields = await fetch_form(site.http, site.path(link))
    clock.advance(timedelta(days=8))
    status, html = await _page(site, site.path(link) + "?lang=en")
    assert status == 410 and "This survey has expired" in html
    status, html, _ = await post_form(site.http, site.path(link), {**fields, **ALL})
    assert status == 410 and await _nothing_stored(db)


async def test_a_link_answered_in_chat_says_so_with_a_409(
        site: Site, db: SessionFactory, clock: FrozenClock) -> None:
    link = await bound_survey_link(db, web_settings(links_for_bound=True))
    for question in ALL:
        await record_rating(db=db, survey_id=link.survey_id, telegram_user_id=501,
                            question=question, rating=4)
    await submit_survey(db=db, survey_id=link.survey_id, telegram_user_id=501,
                        survey_config=SurveyConfig(), complaint_config=ComplaintConfig())
    status, html = await _page(site, site.path(link))
    assert status == 409 and "您已在 Telegram 中完成本次回访" in html


@pytest.mark.parametrize("change", ["no_token", "wrong_token", "other_link", "too_old",
                                    "odd_digits"])
async def test_a_post_without_this_pages_form_token_is_refused(
        site: Site, db: SessionFactory, clock: FrozenClock, change: str) -> None:
    link = await unbound_survey_link(db, site.settings)
    other = await unbound_survey_link(db, site.settings, "WO-2", "13900001111")
    fields = await fetch_form(site.http, site.path(link))
    key = settings_link_key(site.settings)
    if change == "no_token":
        fields.pop("csrf")
    elif change == "wrong_token":
        fields["csrf"] = fields["csrf"][::-1]
    elif change == "other_link":
        fields["nonce"], fields["csrf"] = new_csrf(key, token_hash(token_of(other)))
    elif change == "odd_digits":  # str.isdigit() says yes to "²³", int() says no
        fields["nonce"] = "²³." + fields["nonce"].partition(".")[2]
    else:
        fields["nonce"], fields["csrf"] = new_csrf(key, token_hash(token_of(link)),
                                                   now=time.time() - 25 * 3600)
    status, html, _ = await post_form(site.http, site.path(link), {**fields, **ALL})
    assert status == 403 and "请重新打开回访链接" in html
    assert await _nothing_stored(db)


@pytest.mark.parametrize("fields", [{"overall": "6"}, {"overall": "0"}, {"overall": "五"},
                                    {"attitude": "4.5"}])
async def test_a_rating_no_form_sends_is_a_400(site: Site, db: SessionFactory,
                                               clock: FrozenClock,
                                               fields: dict[str, str]) -> None:
    link = await unbound_survey_link(db, site.settings)
    form = await fetch_form(site.http, site.path(link))
    status, html, _ = await post_form(site.http, site.path(link), {**form, **ALL, **fields})
    assert status == 400 and "无法读取您的答案" in html and await _nothing_stored(db)


async def test_other_bodies_are_refused_politely(site: Site, db: SessionFactory,
                                                 clock: FrozenClock) -> None:
    link = await unbound_survey_link(db, site.settings)
    url = site.path(link)
    async with site.http.post(url, json={"overall": 5}) as resp:
        assert resp.status == 415 and "无法读取" in await resp.text()
    big = {"comment": "长" * 20_000}
    async with site.http.post(url, data=big) as resp:
        assert resp.status == 413
    async with site.http.post(url, data="overall=5&overall=1",
                              headers={"Content-Type": "application/x-www-form-urlencoded"}
                              ) as resp:
        assert resp.status == 400
    async with site.http.post(url, data=b"overall=\xff\xfe",
                              headers={"Content-Type": "application/x-www-form-urlencoded"}
                              ) as resp:
        assert resp.status == 400
    assert await _nothing_stored(db)


async def test_a_comment_over_the_limit_shows_the_form_again(
        site: Site, db: SessionFactory, clock: FrozenClock) -> None:
    link = await unbound_survey_link(db, site.settings)
    form = await fetch_form(site.http, site.path(link))
    status, html, _ = await post_form(site.http, site.path(link),
                                      {**form, **ALL, "comment": "好" * 1001})
    assert status == 422 and "1000" in html and await _nothing_stored(db)


async def test_posts_per_link_are_rate_limited(db: SessionFactory, clock: FrozenClock) -> None:
    async for site in serve_site(db, web_settings(per_link_per_minute=2)):
        link = await unbound_survey_link(db, site.settings)
        form = await fetch_form(site.http, site.path(link))
        partial = {**form, "overall": "4"}
        statuses = [(await post_form(site.http, site.path(link), partial))[0]
                    for _ in range(3)]
        assert statuses == [422, 422, 429]
        async with site.http.post(site.path(link), data=partial) as resp:
            assert resp.status == 429 and int(resp.headers["Retry-After"]) > 0
            assert "请稍候" in await resp.text()


async def test_requests_per_address_are_rate_limited(db: SessionFactory,
                                                     clock: FrozenClock) -> None:
    async for site in serve_site(db, web_settings(per_address_per_minute=3)):
        link = await unbound_survey_link(db, site.settings)
        statuses = [(await _page(site, site.path(link)))[0] for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert (await _page(site, f"{site.base}/s/{'y' * 44}"))[0] == 429


async def test_the_access_log_never_holds_a_whole_token(
        site: Site, db: SessionFactory, clock: FrozenClock,
        caplog: pytest.LogCaptureFixture) -> None:
    link = await unbound_survey_link(db, site.settings)
    token = token_of(link)
    with caplog.at_level(logging.INFO, logger="aiohttp.access"):
        await _page(site, site.path(link))
        await _page(site, site.path(link, "/done"))
    lines = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert lines and all(token not in line for line in lines)
    assert any(f"/s/{token[:4]}…" in line for line in lines)


async def test_a_headers_control_and_direction_characters_reach_the_log_as_escapes(
        site: Site) -> None:
    # Anyone can send a request: U+009B (a terminal's one-byte CSI) and a right-to-left
    # override in the User-Agent must not drive the operator's terminal or reverse the line.
    stream = io.StringIO()
    handler = setup_logging("INFO", stream)
    try:
        host, port = site.base.removeprefix("http://").split(":")
        await raw_post(host, int(port), "/s/nothing", body=b"",
                       headers=[(b"User-Agent", "x\u009b2J\u202eevil".encode())])
    finally:
        logging.getLogger().removeHandler(handler)
    log = stream.getvalue()
    assert "x\\x9b2J\\u202eevil" in log, log
    assert "\u009b" not in log and "\u202e" not in log


async def test_the_intake_api_answers_with_the_link_and_does_not_store_it(
        site: Site, db: SessionFactory, clock: FrozenClock) -> None:
    url = f"{site.base}/api/v1/work-orders/close"
    headers = {**AUTH, "Idempotency-Key": "order-7"}
    async with site.http.post(url, json=order(), headers=headers) as resp:
        assert resp.status == 201
        first = await resp.json()
    async with site.http.post(url, json=order(), headers=headers) as resp:
        replay = await resp.json()
        assert resp.headers.get("Idempotent-Replayed") == "true"
    assert first == replay and first["survey_status"] == "sent"
    link = first["web_link"]["url"]
    assert link.startswith("https://survey.example.com/s/")
    token = link.rsplit("/", 1)[1]
    async with db() as s:
        stored = [str(r.body) for r in (await s.exec(select(ApiRequest))).all()]
    assert stored and all(token not in body for body in stored)
    assert (await _page(site, f"{site.base}/s/{token}"))[0] == 200
