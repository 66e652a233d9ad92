"""Send-time checks: a row queued before the owner opted out (or the survey was answered) is
not sent, and its survey records why."""

from __future__ import annotations

from bot.aiogram_app.messenger import AiogramMessenger
from bot.emulator import EmulatorServer
from surveys.core.config import DispatchConfig
from surveys.core.db import SessionFactory
from surveys.models import OutboxStatus, Survey, SurveyStatus
from surveys.outbox.skips import skip_reason
from surveys.people.binding import opt_out
from tests.fixtures.outbox_rows import (
    FIRST_CHAT,
    drain,
    outbox_rows,
    seed_surveys,
    sent_texts_per_chat,
)


async def test_survey_of_owner_who_opted_out_after_enqueue_is_not_sent(
    db: SessionFactory, emulator: EmulatorServer, messenger: AiogramMessenger
) -> None:
    survey_ids = await seed_surveys(db, emulator, 2)
    await opt_out(db=db, telegram_user_id=FIRST_CHAT)
    config = DispatchConfig(tick_seconds=0.05)
    await drain(db, messenger, config, within=30)

    assert set(await sent_texts_per_chat(emulator)) == {FIRST_CHAT + 1}
    async with db() as s:
        skipped = await s.get(Survey, survey_ids[0])
        assert skipped is not None and skipped.status == SurveyStatus.SKIPPED_OPTED_OUT
    rows = {r.survey_id: r for r in await outbox_rows(db)}
    assert rows[survey_ids[0]].status == OutboxStatus.FAILED
    assert (rows[survey_ids[0]].last_error or "").startswith("skipped")


async def test_a_reminder_waits_for_a_sent_survey_and_a_survey_for_a_pending_one(
    db: SessionFactory, emulator: EmulatorServer
) -> None:
    await seed_surveys(db, emulator, 1)
    row = (await outbox_rows(db))[0]
    assert await skip_reason(db=db, row=row) is None  # pending survey, bound owner: send it
    row.kind = "reminder"
    assert await skip_reason(db=db, row=row) == ("survey is pending", None)
    await opt_out(db=db, telegram_user_id=FIRST_CHAT)
    row.kind = "survey"
    assert await skip_reason(db=db, row=row) == ("owner opted out",
                                                 SurveyStatus.SKIPPED_OPTED_OUT)
