"""/forget erases an owner's personal data and keeps their ratings for the statistics."""

from __future__ import annotations

from sqlmodel import col, select

from surveys.models import AuditLog, Owner, Response, Survey
from surveys.people.prompts import set_prompt, take_prompt
from surveys.survey.forget import forget_owner
from tests.fixtures.chat import OWNERS, running_bot


async def test_forget_asks_first_then_erases_personal_data_but_keeps_ratings(db_url: str) -> None:
    async with running_bot(db_url) as h:
        await h.seed()
        person = OWNERS[0]
        owner = h.owner(person)
        await owner.bind()
        await h.close_order(person, "WO-FORGET-1")
        survey = await owner.wait_survey()
        await owner.rate(survey["message_id"], 2, 4, 4, 3)
        await owner.send("师傅态度还可以，我的电话13800138001")

        ask = await owner.send("/forget")
        assert "/forget yes" in ask["text"]
        async with h.db() as s:
            still = (await s.exec(select(Owner).where(Owner.phone == person.phone))).one()
        assert still.forgotten_at is None  # asking alone erases nothing

        # A prompt waiting for their text (e.g. a reply to a complaint) must go as well.
        await set_prompt(db=h.db, telegram_user_id=person.user_id, kind="owner_reply", target=1)
        done = await owner.send("/forget yes")
        assert "/start" in done["text"]

        async with h.db() as s:
            erased = (await s.exec(select(Owner).where(Owner.id == still.id))).one()
            surveys = (await s.exec(select(Survey).where(Survey.owner_id == still.id))).all()
            responses = (
                await s.exec(
                    select(Response).where(col(Response.survey_id).in_([v.id for v in surveys]))
                )
            ).all()
            audit = (await s.exec(select(AuditLog).where(AuditLog.action == "owner.forget"))).all()
        assert (erased.name, erased.phone, erased.building, erased.room) == ("", None, None, None)
        assert erased.telegram_user_id is None and erased.chat_id is None
        assert erased.forgotten_at is not None and erased.opted_out
        assert all(v.chat_id is None and v.message_id is None for v in surveys)
        assert [(r.overall, r.attitude, r.clarity, r.timeliness) for r in responses] == [
            (2, 4, 4, 3)
        ]
        assert all(r.comment is None for r in responses)
        assert [a.subject_id for a in audit] == [still.id]
        assert await take_prompt(db=h.db, telegram_user_id=person.user_id) is None

        # The account is no longer linked: a second request finds nothing to erase.
        again = await owner.send("/forget yes")
        assert "no personal data" in again["text"] or "没有" in again["text"]


async def test_forgetting_an_unknown_account_changes_nothing(db) -> None:  # type: ignore[no-untyped-def]
    assert await forget_owner(db=db, telegram_user_id=424242) is None
