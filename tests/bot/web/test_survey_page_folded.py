"""A survey the fatigue cap folded later orders into names each of them on its web page, and
the one answer given there counts for every order named."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlmodel import col, select

from bot.web import settings_link_key
from surveys.core.clock import FrozenClock
from surveys.core.courtesy import CourtesyConfig
from surveys.core.db import SessionFactory
from surveys.intake.close import close_work_order
from surveys.models import Response, Survey
from surveys.people.directory import add_agent, add_owner
from surveys.survey.links import ensure_link
from tests.bot.web.forms import fetch_form, post_form
from tests.fixtures.service_world import bind, order
from tests.fixtures.web import OWNER_PHONE, Site, serve_site, web_settings

ALL = {"overall": "5", "attitude": "4", "clarity": "5", "timeliness": "4"}
FOLD = CourtesyConfig(quiet_hours="off")  # the fatigue cap alone: later orders fold


@pytest.fixture
async def site(db: SessionFactory) -> AsyncIterator[Site]:
    """The survey page, with links also for owners bound in Telegram (whose orders fold)."""
    async for running in serve_site(db, web_settings(links_for_bound=True)):
        yield running


async def _folded_survey_link(site: Site, db: SessionFactory) -> str:
    await add_owner(db=db, community_code="GG", name="王先生", phone=OWNER_PHONE)
    await add_agent(db=db, external_id="A-8", name="张客服", community_code="GG")
    await bind(db, 501, OWNER_PHONE)  # in Telegram: later orders fold into the queued survey
    closes = [order("WO-1", OWNER_PHONE),
              order("WO-2", OWNER_PHONE, agent_external_id="A-8", title="电梯异响"),
              order("WO-3", OWNER_PHONE, title="门禁卡失灵")]
    results = [await close_work_order(db=db, order=o, survey_config=site.settings.survey,
                                      courtesy=FOLD) for o in closes]
    assert [r.survey_status for r in results[1:]] == ["folded", "folded"]
    link = await ensure_link(db=db, key=settings_link_key(site.settings),
                             survey_id=results[0].survey_id, config=site.settings.web,
                             survey_config=site.settings.survey)
    assert link is not None
    return site.path(link)


async def test_the_page_names_every_order_its_one_answer_covers(
        site: Site, db: SessionFactory, clock: FrozenClock) -> None:
    url = await _folded_survey_link(site, db)
    async with site.http.get(url) as resp:
        html = await resp.text()
    assert "本次回访同时涉及以下工单（一次评价，各单通用）：" in html
    assert "• 电梯异响（单号 WO-2，张客服）" in html
    assert "• 门禁卡失灵（单号 WO-3，李客服）" in html
    async with site.http.get(url, headers={"Accept-Language": "en"}) as resp:
        english = await resp.text()
    assert "Also about these orders (one answer counts for all):" in english
    assert "• 电梯异响 (No. WO-2, 张客服)" in english

    fields = await fetch_form(site.http, url)
    status, _, _ = await post_form(site.http, url, {**fields, **ALL, "comment": ""})
    assert status == 303
    async with db() as s:
        answered = (await s.exec(select(Survey.id).join(
            Response, col(Response.survey_id) == col(Survey.id)).where(
            col(Response.submitted_at).is_not(None)))).all()
    assert len(answered) == 3  # the host order and both folded ones


async def test_a_survey_without_folded_orders_lists_none(
        site: Site, db: SessionFactory, clock: FrozenClock) -> None:
    await add_owner(db=db, community_code="GG", name="王先生", phone=OWNER_PHONE)
    result = await close_work_order(db=db, order=order("WO-1", OWNER_PHONE),
                                    survey_config=site.settings.survey, courtesy=FOLD)
    link = await ensure_link(db=db, key=settings_link_key(site.settings),
                             survey_id=result.survey_id, config=site.settings.web,
                             survey_config=site.settings.survey)
    assert link is not None
    async with site.http.get(site.path(link)) as resp:
        assert "本次回访同时涉及以下工单" not in await resp.text()
