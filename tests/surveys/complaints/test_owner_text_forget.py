"""/forget erases an account's owner texts wherever they are held: the words it wrote that a
home moved to another account still holds, and the managers' alerts about texts it kept for
any of its homes."""

from __future__ import annotations

from surveys.core.config import ComplaintConfig
from surveys.core.db import SessionFactory
from surveys.models import Owner
from surveys.outbox.escalation_payloads import OwnerTextKeptPayload
from surveys.survey.forget import forget_owner
from tests.fixtures.complaint_world import OWNER_TG, World, all_owner_texts, move_home, outbox
from tests.fixtures.owner_texts import choose, complain, say


async def test_forget_erases_the_words_a_home_that_moved_away_still_holds(
        db: SessionFactory, world: World) -> None:
    async with db() as s, s.begin():  # a flat of another phone, so not the same person's row
        s.add(Owner(community_id=world.other_community_id, name="陈女士", phone="13900009999",
                    building="5", room="502", telegram_user_id=OWNER_TG, chat_id=OWNER_TG))
    await say(db, "地下车库有积水")  # waiting, held by 绿溪园, the first home
    await move_home(db, world.owner_id)
    assert await forget_owner(db=db, telegram_user_id=OWNER_TG) is not None
    assert await all_owner_texts(db) == []
    async with db() as s:
        moved = await s.get(Owner, world.owner_id)
    assert moved is not None and moved.forgotten_at is None  # the other account's home stays


async def test_forget_clears_the_alerts_about_texts_kept_for_any_home_of_the_account(
        db: SessionFactory, world: World, second_home: int) -> None:
    config = ComplaintConfig(owner_daily_complaints=1)
    for words in ("电梯坏了", "门禁也坏了"):  # the second is kept for 海韵, managers told
        await choose(db, await complain(db, words, config=config), second_home,
                     config=config)
    alerts = await outbox(db, "owner_text_kept")
    assert alerts and all(OwnerTextKeptPayload.of(a.payload or {}).owner_id == second_home
                          for a in alerts)
    await forget_owner(db=db, telegram_user_id=OWNER_TG)
    for alert in await outbox(db, "owner_text_kept"):
        payload = OwnerTextKeptPayload.of(alert.payload or {})
        assert "门禁" not in payload.text and payload.owner_name is None
    assert await all_owner_texts(db) == []
