"""An owner with two flats in chat is asked "which home?" when a complaint's home is not
clear, taps one, and the complaint is that home's; repeats and stale taps register nothing
twice, and an owner with one home is never asked."""

from __future__ import annotations

from sqlmodel import col, select

from surveys.models import Complaint, Owner
from tests.fixtures.chat import (
    OWNERS,
    Harness,
    OwnerSession,
    button_texts,
    callback_of,
    running_bot,
)
from tests.fixtures.homes import add_riverside_flat

WANG = OWNERS[0]  # 张伟: 阳光花园 1-101, and (below) 江畔小区 7-701 with the same phone
SUNNY, RIVER = "阳光花园 1-101", "江畔小区 7-701"
WHICH = "请问这是关于您哪一处房屋的？"


async def _owner_of_two_flats(h: Harness) -> OwnerSession:
    await h.seed()
    await add_riverside_flat(h, WANG)
    owner = h.owner(WANG)
    assert "2 处房屋" in (await owner.bind())["text"]
    return owner


async def _complaints(h: Harness) -> list[tuple[str, str]]:
    """Each complaint's home (community code, room) and words, oldest first."""
    async with h.db() as s:
        rows = (await s.exec(select(Complaint, Owner).join(
            Owner, col(Owner.id) == col(Complaint.owner_id)).order_by(col(Complaint.id)))).all()
    return [(owner.room or "", complaint.text) for complaint, owner in rows]


async def test_complain_asks_which_home_and_the_complaint_is_the_tapped_homes_once(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        owner = await _owner_of_two_flats(h)
        asked = await owner.send("/complain 阳台门锁又卡住了，打不开")
        assert asked["text"].startswith(WHICH)
        assert button_texts(asked) == [SUNNY, RIVER]
        assert await _complaints(h) == []  # nothing registered before the tap

        river = callback_of(asked, RIVER)
        await owner.tap_data(asked["message_id"], river, deliver_twice=True)
        receipt = await owner.message(asked["message_id"])
        assert receipt["text"].startswith(f"房屋：{RIVER}\n") and "您的投诉 #" in receipt["text"]
        assert not button_texts(receipt)
        # A stale chooser (the button again, or the other home's) is answered politely.
        for data in (river, callback_of(asked, SUNNY)):
            answer = await owner.tap_data(asked["message_id"], data)
            assert answer["text"] == "您已选好房屋，无需再次点选。"
        assert await _complaints(h) == [("701", "阳台门锁又卡住了，打不开")]

        # The same /complain again points to the question instead of asking twice.
        second = await owner.send("/complain 楼道灯不亮")
        again = await owner.send("/complain 楼道灯不亮")
        assert again["text"] == "上面已有这条投诉。请在上面的问题下点选相关的房屋。"
        assert not button_texts(again)
        await owner.tap(second["message_id"], SUNNY)
        assert await _complaints(h) == [("701", "阳台门锁又卡住了，打不开"), ("101", "楼道灯不亮")]

        # An owner with one home is never asked.
        single = h.owner(OWNERS[1])
        await single.bind()
        receipt = await single.send("/complain 电梯又坏了，一直没人修")
        assert "您的投诉 #" in receipt["text"] and not button_texts(receipt)
        assert "房屋：" not in receipt["text"]


async def test_free_texts_ask_which_home_once_and_a_later_text_joins_that_homes_complaint(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        owner = await _owner_of_two_flats(h)
        asked = await owner.send("电梯又坏了，一直没人修")
        assert asked["text"].startswith(WHICH) and button_texts(asked) == [SUNNY, RIVER]
        more = await owner.send("门禁也坏了，一直没人修")
        assert more["text"] == "您的这条消息已并入上面的消息。请在上面的问题下点选相关的房屋。"

        receipt = await owner.tap(asked["message_id"], SUNNY)
        assert receipt["text"].startswith(f"房屋：{SUNNY}\n") and "您的投诉 #" in receipt["text"]
        assert await _complaints(h) == [("101", "电梯又坏了，一直没人修\n门禁也坏了，一直没人修")]
        # Only 阳光花园 has a complaint in hand: the next words join it, no question.
        joined = await owner.send("今天还是没人来修")
        assert joined["text"].startswith(f"房屋：{SUNNY}\n")
        assert "已将这条补充加入您的投诉" in joined["text"] and not button_texts(joined)
        assert len(await _complaints(h)) == 1


async def test_an_unsure_text_registered_becomes_which_home_in_the_same_message(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        owner = await _owner_of_two_flats(h)
        question = await owner.send("地下车库有积水")
        assert "登记为投诉" in button_texts(question)
        chooser = await owner.tap(question["message_id"], "登记为投诉")
        assert chooser["text"].startswith(WHICH) and button_texts(chooser) == [SUNNY, RIVER]
        assert await _complaints(h) == []
        receipt = await owner.tap(question["message_id"], RIVER)
        assert receipt["text"].startswith(f"房屋：{RIVER}\n") and "您的投诉 #" in receipt["text"]
        assert await _complaints(h) == [("701", "地下车库有积水")]
