"""Owners as Telegram really sends them: ten-digit ids, and nothing but a first name.

Telegram's user ids passed 2^32 years ago (new accounts are 6–8 billion), and a User object
carries `first_name` only for sure: no username, no last name, and no `language_code` when
the app does not tell. The fixtures' owners are 5001–5003 with a language, so a column, a
callback or a language guess that only holds for those would pass every other test here.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import select

from surveys.models import Complaint, Owner, Response, Survey, SurveyStatus
from tests.bot.robustness.conftest import polite
from tests.fixtures.chat import Person, running_bot

REAL = Person(7_912_345_678, "王", "13800138077", "5", "501", language_code=None)


async def test_an_owner_with_a_ten_digit_id_and_only_a_first_name_binds_rates_and_complains(
        db_url: str, errors_logged: Callable[[], list[str]]) -> None:
    async with running_bot(db_url) as h:
        await h.seed(owners=(REAL,))
        owner = h.owner(REAL)
        bound = polite(await owner.bind())
        await h.close_order(REAL, "WO-REAL-1")
        card = await owner.wait_survey()
        await owner.rate(card["message_id"], 5, 4, 5, 4)
        thanked = polite(await owner.send("师傅很准时，谢谢"))
        answered = polite(await owner.send("/complain 楼道灯坏了一个星期了"))
        async with h.db() as s:
            row = (await s.exec(select(Owner))).one()
            survey = (await s.exec(select(Survey))).one()
            response = (await s.exec(select(Response))).one()
            complaint = (await s.exec(select(Complaint))).one()
    assert "您" in bound and "您" in thanked  # no language told: the default, Chinese
    assert row.telegram_user_id == row.chat_id == REAL.user_id
    assert survey.status == SurveyStatus.SUBMITTED
    stars = (response.overall, response.attitude, response.clarity, response.timeliness)
    assert sorted(stars) == [4, 4, 5, 5]  # type: ignore[type-var]
    assert response.comment == "师傅很准时，谢谢"
    assert complaint.owner_id == row.id and "楼道灯" in complaint.text
    assert f"#{complaint.id}" in answered
    assert errors_logged() == []
