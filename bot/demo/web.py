"""Demo step: an owner without Telegram answers her survey through the signed web link.

With Chromium (Debian's package) and the playwright package, a headless phone-sized browser
opens the page, taps the stars and submits, and the screenshots land beside the report files;
without them, the same form is posted over HTTP and the transcript says screenshots were
skipped.
"""

from __future__ import annotations

import asyncio
import html
import importlib.util
import re
import shutil
from pathlib import Path
from typing import Any

import aiohttp

from bot.demo.world import COMMUNITY, Demo
from bot.i18n import N_
from surveys.core.pii import mask_link_tokens
from surveys.people.directory import add_owner

OWNER = ("赵敏", "13800138004", "5", "505")  # name, phone, building, room: not in Telegram
ORDER = ("WO-2026-0005", "A002", "repair", "楼道灯不亮")
RATINGS = {"overall": 5, "attitude": 5, "clarity": 4, "timeliness": 5}
COMMENT = "灯当天就修好了，师傅很细心，谢谢！"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def _text(page_html: str) -> list[str]:
    """Return the visible paragraphs and headings of a page, in order."""
    chunks = re.findall(r"<(?:h1|p|legend)[^>]*>(.*?)</(?:h1|p|legend)>", page_html, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in chunks if c.strip()]


def _hidden(page_html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page_html))


async def owner_answers_by_link(demo: Demo) -> None:
    """Play an owner without Telegram answering by the survey's web link."""
    name, phone, building, room = OWNER
    await add_owner(db=demo.db, community_code=COMMUNITY[0], name=name, phone=phone,
                    building=building, room=room)
    demo.transcript.note(N_("{name} ({building}栋{room}) has no Telegram: the property "
                            "company texts her the survey link by SMS"),
                         name=name, building=building, room=room)
    external_id, agent, kind, title = ORDER
    status, answer = await demo.post_order({
        "external_id": external_id, "community_code": COMMUNITY[0],
        "owner": {"name": name, "phone": phone, "building": building, "room": room},
        "agent_external_id": agent, "kind": kind, "title": title})
    link = (answer.get("web_link") or {}).get("url")
    demo.transcript.note(N_("POST /api/v1/work-orders/close {order} → {status} survey "
                            "#{survey} {survey_status}, web link {link}"),
                         order=external_id, status=status,
                         survey=answer.get("survey_id"),
                         survey_status=demo.transcript.word(answer.get("survey_status")),
                         link=mask_link_tokens(str(link)))
    assert link, "the intake API gave no web link"
    local = f"{demo.app.api_url}/s/{link.rsplit('/', 1)[1]}"
    problem = _browser_problem()
    if problem is None:
        await _in_browser(demo, local, name)
    else:
        await _over_http(demo, local, name)
        demo.transcript.note(N_("screenshots skipped: {problem}"),
                             problem=demo.transcript.tr._(problem))


def _browser_problem() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return N_("the playwright package is not installed")
    if shutil.which("chromium") is None:
        return N_("Chromium is not installed (apt-get install -y chromium)")
    return None


async def _over_http(demo: Demo, url: str, name: str) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(url) as resp:
            page = await resp.text()
        _show(demo, name, N_("opens the link"), resp.status, page)
        form = {**_hidden(page), **{q: str(r) for q, r in RATINGS.items()}, "comment": COMMENT}
        _answered(demo, name)
        async with http.post(url, data=form) as resp:
            page = await resp.text()
        _show(demo, name, N_("sees"), resp.status, page)


async def _in_browser(demo: Demo, url: str, name: str) -> None:
    # why: playwright is a dev dependency; the demo runs without it (over HTTP).
    from playwright.async_api import async_playwright

    shots = Path(demo.out_dir)
    await asyncio.to_thread(shots.mkdir, parents=True, exist_ok=True)
    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=shutil.which("chromium"),
                                               args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(  # a phone, no JavaScript
                viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                has_touch=True, locale="zh-CN", java_script_enabled=False)
            page = await context.new_page()
            response = await page.goto(url)
            _show(demo, name, N_("opens the link on her phone"),
                  response.status if response else 0, await page.content())
            await page.screenshot(path=shots / "web-1-survey.png", full_page=True)
            for question, stars in RATINGS.items():
                await page.click(f"label[for={question}-{stars}]")
            await page.fill("#comment", COMMENT)
            _answered(demo, name)
            await page.screenshot(path=shots / "web-2-answered.png", full_page=True)
            await page.click("button[type=submit]")
            await page.wait_for_url("**/done*")
            _show(demo, name, N_("sees"), 200, await page.content())
            await page.screenshot(path=shots / "web-3-thanks.png", full_page=True)
        finally:
            await browser.close()
    for shot in ("web-1-survey.png", "web-2-answered.png", "web-3-thanks.png"):
        demo.transcript.note(N_("screenshot {path}"), path=shots / shot)


def _stars(demo: Demo) -> str:
    return " ".join(f"{demo.transcript.word(q)} {'★' * r}{'☆' * (5 - r)}"
                    for q, r in RATINGS.items())


def _answered(demo: Demo, name: str) -> None:
    action = demo.transcript.tr._("taps {stars} and writes “{comment}”, then 提交",
                                  stars=_stars(demo), comment=COMMENT)
    demo.transcript.user(name, f"🌐 {action}")


def _show(demo: Demo, name: str, action: str, status: int, page: Any) -> None:
    lines = _text(str(page))
    demo.transcript.user(name, f"🌐 {demo.transcript.tr._(action)} (HTTP {status})")
    for line in lines[:7]:
        demo.transcript.write(f"      {line}")
