"""Corrections made in chat teach the classifier: `classify learn`, then the bot uses it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from bot.config import ClassifierConfig
from bot.learning import learn_now
from scoring.classifier import learning
from surveys.models import Complaint
from tests.bot.roles.conftest import Staffed, press, staff_world
from tests.fixtures.chat import OWNERS, Harness, button_texts, running_bot
from tests.fixtures.learning_base import BASE, base_rows

# Here the courier's delays are nobody's service speed: people take off the timeliness tag.
# `classify learn` learns on a fixed small base in which no row confirms the cue 拖延, so two
# corrections silence it (a cue the rows confirm needs more: learn_lexicon's ratio rule), and
# rows added to the shipped training data later cannot change that.
COURIER = ("快递拖延了，保安态度很差", "快递拖延了两天，门卫还爱答不理")
NEW = "快递又拖延了，前台态度很差"


async def _comment(h: Harness, world: Staffed, person: Any, words: str) -> int:
    owner, _, survey = await h.owner_with_survey(person, title="快递代收")
    await owner.rate(survey["message_id"], 5, 4, 4, 4)
    await owner.send(words)
    await h.client.wait_for_message(h.token, world.agent.chat_id, contains=words[:6])
    async with h.db() as s:
        return (await s.exec(select(Complaint.id).where(col(Complaint.text) == words))).one()


async def _tags(h: Harness, cid: int) -> list[str]:
    async with h.db() as s:
        row = await s.get(Complaint, cid)
        assert row is not None
        return list(row.tags)


async def _manager_removes_timeliness(h: Harness, world: Staffed, cid: int) -> None:
    listing = await world.manager.send("/complaints")
    before = len(await world.manager.messages())
    await press(world.manager, listing["message_id"], f"#{cid}")
    editor = (await h.client.wait_for(h.token, world.manager.chat_id, count=before + 1))[before]
    editor = await press(world.manager, editor["message_id"], "及时性 —")
    assert "✅及时性 —" in button_texts(editor)
    done = await press(world.manager, editor["message_id"], "提交")
    assert "已纠正" in done["text"]


@pytest.mark.slow  # a real `classify learn` process (on the small base) per runtime
async def test_classify_learn_produces_a_model_the_bot_then_uses(
        db_url: str, tmp_path: Path) -> None:
    assert not any("拖延" in row["text"] for row in base_rows())
    learned = tmp_path / "learned"
    async with running_bot(db_url, classifier=ClassifierConfig(data_dir=str(learned))) as h:
        world = await staff_world(h)
        for person, words in zip(OWNERS[:2], COURIER, strict=True):
            cid = await _comment(h, world, person, words)
            assert await _tags(h, cid) == ["attitude", "timeliness"]  # the shipped model
            await _manager_removes_timeliness(h, world, cid)
            assert await _tags(h, cid) == ["attitude"]
        assert await learn_now(h.app, base=BASE) is not None
        assert (learned / "manifest.json").is_file()
        found = learning.active()
        assert found is not None and found.corrections == 2 and found.overrides == 1
        cid = await _comment(h, world, OWNERS[2], NEW)
        assert await _tags(h, cid) == ["attitude"]
