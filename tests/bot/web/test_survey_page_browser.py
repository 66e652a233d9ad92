"""The survey page in a real browser (headless Chromium, phone-sized, JavaScript off).

Each test keeps its screenshots in test-output/browser/ (see tests/fixtures/browser.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import select

from surveys.core.clock import FrozenClock
from surveys.core.db import SessionFactory
from surveys.models import Complaint, Response
from tests.fixtures.browser import PHONE, chromium, output_dir  # noqa: F401
from tests.fixtures.web import Site, unbound_survey_link

SHOTS = output_dir("browser")


async def _phone(chromium: Any, locale: str, *, javascript: bool = False) -> Any:  # noqa: F811
    context = await chromium.new_context(**PHONE, locale=locale,
                                         java_script_enabled=javascript)
    page = await context.new_page()
    page.csp_errors = []
    page.on("console", lambda m: page.csp_errors.append(m.text)
            if "Content Security Policy" in m.text else None)
    return page


async def _rate(page: Any, ratings: dict[str, int]) -> None:
    for question, stars in ratings.items():
        await page.click(f"label[for={question}-{stars}]")


async def test_an_owner_answers_in_chinese_on_a_phone_without_javascript(
        site: Site, db: SessionFactory, clock: FrozenClock, chromium: Any) -> None:  # noqa: F811
    link = await unbound_survey_link(db, site.settings, title="厨房水管漏水")
    page = await _phone(chromium, "zh-CN")
    await page.goto(site.path(link))
    assert "满意度回访" in await page.title()
    assert "满意度回访" in await page.locator("h1").inner_text()
    assert "服务客服：李客服" in await page.locator("main").inner_text()
    # The inline style is allowed by the CSP: the page is styled, and nothing was refused.
    background = await page.eval_on_selector("body", "b => getComputedStyle(b).backgroundColor")
    assert background == "rgb(244, 245, 247)" and page.csp_errors == []
    width = await page.eval_on_selector("main", "m => m.getBoundingClientRect().width")
    assert width <= 390  # fits the phone: no sideways scrolling
    await page.screenshot(path=SHOTS / "zh-1-form.png", full_page=True)

    await _rate(page, {"overall": 4, "attitude": 5, "clarity": 4, "timeliness": 5})
    await page.fill("#comment", "师傅来得很快，讲得也清楚")
    assert await page.is_checked("#attitude-5") and not await page.is_checked("#attitude-4")
    await page.screenshot(path=SHOTS / "zh-2-answered.png", full_page=True)
    await page.click("button[type=submit]")
    await page.wait_for_url("**/done?lang=zh_CN")
    assert "感谢您的反馈" in await page.locator("main").inner_text()
    await page.screenshot(path=SHOTS / "zh-3-thanks.png", full_page=True)

    await page.goto(site.path(link))  # the link is used now
    assert "您已在本网页上完成本次回访" in await page.locator("main").inner_text()
    await page.screenshot(path=SHOTS / "zh-4-used.png", full_page=True)
    async with db() as s:
        response = (await s.exec(select(Response))).one()
    assert (response.channel, response.overall, response.attitude, response.comment) == (
        "web", 4, 5, "师傅来得很快，讲得也清楚")


async def test_an_owner_answers_in_english_and_is_asked_for_a_missing_rating(
        site: Site, db: SessionFactory, clock: FrozenClock, chromium: Any) -> None:  # noqa: F811
    link = await unbound_survey_link(db, site.settings)
    page = await _phone(chromium, "en-US")
    await page.goto(site.path(link))
    assert "Owner satisfaction survey" in await page.title()
    await _rate(page, {"overall": 2, "attitude": 1, "clarity": 3})
    await page.fill("#comment", "The plumber was rude.")
    await page.click("button[type=submit]")
    text = await page.locator("main").inner_text()
    assert "Please rate every question before submitting." in text
    assert await page.is_checked("#overall-2") and await page.is_checked("#attitude-1")
    assert await page.input_value("#comment") == "The plumber was rude."
    await page.screenshot(path=SHOTS / "en-1-missing.png", full_page=True)
    await _rate(page, {"timeliness": 2})
    await page.click("button[type=submit]")
    await page.wait_for_url("**/done?lang=en")
    assert "We are sorry the service fell short" in await page.locator("main").inner_text()
    await page.screenshot(path=SHOTS / "en-2-thanks.png", full_page=True)
    async with db() as s:
        complaint = (await s.exec(select(Complaint))).one()
    assert complaint.source == "low_rating" and complaint.text == "The plumber was rude."


async def test_the_language_switch_and_an_expired_link_in_the_browser(
        site: Site, db: SessionFactory, clock: FrozenClock, chromium: Any) -> None:  # noqa: F811
    link = await unbound_survey_link(db, site.settings)
    page = await _phone(chromium, "en-US")
    await page.goto(site.path(link))
    await page.click("nav >> text=中文")
    assert "满意度回访" in await page.title()
    await page.click("nav >> text=English")
    assert "Owner satisfaction survey" in await page.title()
    clock.advance(timedelta(days=8))
    response = await page.goto(site.path(link))
    assert response is not None and response.status == 410
    assert "This survey has expired" in await page.locator("main").inner_text()
    await page.screenshot(path=SHOTS / "en-3-expired.png", full_page=True)
    response = await page.goto(f"{site.base}/s/{'Z' * 44}?lang=zh")
    assert response is not None and response.status == 404
    assert "此回访链接无效" in await page.locator("main").inner_text()
    await page.screenshot(path=SHOTS / "zh-5-forged.png", full_page=True)
