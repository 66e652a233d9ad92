"""/forget (`forget_owner`) erases the owner's words from the classifier's stored record too."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlmodel import col

from surveys.complaints.evidence import classify_comment
from surveys.core.db import SessionFactory
from surveys.models import Response
from surveys.survey.forget import forget_owner
from tests.fixtures.complaint_world import OWNER_TG, build_world, response_row, submit_response

WORDS = "师傅态度很差，我的电话13800138001"


async def _stored(db: SessionFactory, classification: dict[str, Any]) -> int:
    world = await build_world(db)
    _, response_id, _ = await submit_response(
        db, world, comment=WORDS, classification=classification)
    return response_id


async def test_the_stored_verdict_loses_the_words_and_keeps_its_tags(db: SessionFactory) -> None:
    verdict = classify_comment(WORDS)
    assert verdict is not None and verdict["text"] == WORDS
    response_id = await _stored(db, verdict | {"model": "v7"})  # a key of a later version
    await forget_owner(db=db, telegram_user_id=OWNER_TG)
    row = await response_row(db, response_id)
    assert row.comment is None
    assert row.classification == verdict | {"model": "v7", "text": None}
    assert row.classification["aspects"]["attitude"] == "neg"


async def test_a_stored_verdict_without_the_words_stays_as_it_was(db: SessionFactory) -> None:
    verdict = {"polarity": "negative", "complaint": True, "aspects": {"attitude": "neg"}}
    response_id = await _stored(db, verdict)
    await forget_owner(db=db, telegram_user_id=OWNER_TG)
    assert (await response_row(db, response_id)).classification == verdict


async def test_a_stored_record_it_cannot_read_goes_whole(db: SessionFactory) -> None:
    response_id = await _stored(db, {"polarity": "negative"})
    async with db() as s, s.begin():  # a record no version wrote: the words where text is not
        await s.exec(update(Response).where(col(Response.id) == response_id)
                     .values(classification={"text": [WORDS], "aspects": "attitude"}))
    await forget_owner(db=db, telegram_user_id=OWNER_TG)
    assert (await response_row(db, response_id)).classification is None
