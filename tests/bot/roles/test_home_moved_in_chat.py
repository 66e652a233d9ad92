"""Words an owner wrote that wait for their answer when the office moves a home to another
Telegram account, in chat on both runtimes: the writer still decides them among the homes
left (or gets them back with none left), and the new account never sees them, nor anything
about a complaint filed before the move; that complaint goes on with the account that filed
it while it holds another home with the owner's phone."""

from __future__ import annotations

from sqlmodel import col, select

from bot.emulator.client import Message
from surveys.models import Community, Complaint, ComplaintMessage, Owner
from tests.bot.roles.conftest import Staffed, invite, press, staff_world, texts
from tests.fixtures.chat import (
    OWNERS,
    Harness,
    OwnerSession,
    Person,
    button_texts,
    callback_of,
    running_bot,
)
from tests.fixtures.homes import add_riverside_flat

WANG = OWNERS[0]
RELATIVE = Person(5101, "张伟家属", "13800138101")


async def _home_of(h: Harness, community_code: str) -> int:
    """The id of 张伟's home in a community."""
    async with h.db() as s:
        home = (await s.exec(select(Owner).join(
            Community, col(Community.id) == col(Owner.community_id)).where(
            Owner.phone == WANG.phone, Community.code == community_code))).one()
    assert home.id is not None
    return home.id


async def _filed_then_moved(h: Harness) -> tuple[Staffed, OwnerSession, OwnerSession, Message]:
    """张伟 (阳光花园 1-101 and 江畔小区 7-701) complains about WO-701 on the sunny flat, which
    then moves to a relative's account by invite; return the staff, both owners, the card."""
    world = await staff_world(h)
    await add_riverside_flat(h, WANG)
    wang = h.owner(WANG)
    await wang.bind()
    await h.close_order(WANG, "WO-701", title="电梯维修")
    await wang.wait_survey()
    chooser = await wang.send("/complain 电梯又坏了，一直没人修")
    assert "您的投诉 #" in (await wang.tap(chooser["message_id"], "阳光花园 1-101"))["text"]
    card = await h.client.wait_for_message(h.token, world.agent.chat_id, contains="WO-701")
    relative = h.owner(RELATIVE)
    await relative.send(f"/start {await invite(h, 'owner', await _home_of(h, 'sunny'))}")
    return world, wang, relative, card


async def _complaints(h: Harness) -> list[Complaint]:
    async with h.db() as s:
        return list((await s.exec(select(Complaint))).all())


async def test_words_waiting_when_their_home_moves_to_another_account_stay_with_the_writer(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        await staff_world(h)
        await add_riverside_flat(h, WANG)
        wang = h.owner(WANG)
        await wang.bind()  # 阳光花园 1-101 and 江畔小区 7-701
        question = await wang.send("地下车库有积水")
        assert button_texts(question) == ["登记为投诉", "不用了"]
        chooser = await wang.send("/complain 门禁坏了，一直没人修")
        assert button_texts(chooser) == ["阳光花园 1-101", "江畔小区 7-701"]

        # The office moves the sunny flat to a relative's account by an invite.
        relative = h.owner(RELATIVE)
        await relative.send(f"/start {await invite(h, 'owner', await _home_of(h, 'sunny'))}")
        own = await relative.send("地下车库有积水")  # their own question, not Wang's
        assert button_texts(own) == ["登记为投诉", "不用了"]

        await wang.tap_data(question["message_id"], callback_of(question, "登记为投诉"),
                            deliver_twice=True)
        which = await wang.message(question["message_id"])  # the home moved: never guessed
        assert button_texts(which) == ["江畔小区 7-701"]
        gone = await wang.tap(chooser["message_id"], "阳光花园 1-101")
        assert gone["text"].startswith("该房屋已不在您的账号下")
        assert button_texts(gone) == ["江畔小区 7-701"]
        for asked in (which, gone):
            await wang.tap_data(asked["message_id"], callback_of(asked, "江畔小区 7-701"),
                                deliver_twice=True)
            assert "您的投诉 #" in (await wang.message(asked["message_id"]))["text"]

        river = await _home_of(h, "riverside")
        assert sorted((c.owner_id, c.text) for c in await _complaints(h)) == [
            (river, "地下车库有积水"), (river, "门禁坏了，一直没人修")]
        assert not any("门禁坏了" in t for t in texts(await relative.messages()))


async def test_a_writer_left_with_no_home_gets_the_words_back_and_nothing_is_registered(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        await staff_world(h)
        wang = h.owner(WANG)
        await wang.bind()  # one home, 阳光花园 1-101
        question = await wang.send("地下车库有积水")
        relative = h.owner(RELATIVE)
        await relative.send(f"/start {await invite(h, 'owner', await _home_of(h, 'sunny'))}")
        await wang.tap_data(question["message_id"], callback_of(question, "登记为投诉"),
                            deliver_twice=True)
        back = await wang.message(question["message_id"])
        assert back["text"].startswith("您的房屋已不再绑定此 Telegram 账号，因此未登记投诉")
        assert back["text"].endswith("您当时的消息：\n地下车库有积水")
        assert not button_texts(back)
        assert await _complaints(h) == []
        assert not any("地下车库" in t for t in texts(await relative.messages()))


async def test_the_new_account_hears_nothing_of_a_complaint_filed_before_the_move(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world = await staff_world(h)
        wang = h.owner(WANG)
        await wang.bind()
        await h.close_order(WANG, "WO-701", title="电梯维修")
        await wang.wait_survey()
        assert "您的投诉 #" in (await wang.send("电梯又坏了，一直没人修"))["text"]
        card = await h.client.wait_for_message(h.token, world.agent.chat_id, contains="WO-701")
        relative = h.owner(RELATIVE)
        await relative.send(f"/start {await invite(h, 'owner', await _home_of(h, 'sunny'))}")
        await press(world.agent, card["message_id"], "已解决")
        toast = (await h.client.callback_answers(h.token))[-1]["text"]
        assert "已转到另一个 Telegram 账号" in toast and "网页" not in toast  # the real reason
        await h.outbox_idle()
        [complaint] = await _complaints(h)
        assert complaint.status == "resolved"  # nobody was asked "satisfied?"
        assert not any("电梯" in t for t in texts(await relative.messages()))


async def test_a_complaint_filed_before_the_move_goes_on_with_the_account_that_filed_it(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world, wang, relative, card = await _filed_then_moved(h)

        await press(world.agent, card["message_id"], "回复")
        assert "已转达" in (await world.agent.send("明天上午九点师傅上门复查"))["text"]
        await h.client.wait_for_message(h.token, wang.chat_id, contains="明天上午九点")
        await press(world.agent, card["message_id"], "已解决")
        asked = await h.client.wait_for_message(
            h.token, wang.chat_id, predicate=lambda m: "😊 满意" in button_texts(m))
        await wang.tap_data(asked["message_id"], callback_of(asked, "😊"), deliver_twice=True)
        await h.client.wait_for_message(h.token, world.agent.chat_id, contains="已关闭")

        [complaint] = await _complaints(h)
        assert (complaint.status, complaint.satisfied) == ("closed_satisfied", True)
        assert not any("电梯" in t or "九点" in t for t in texts(await relative.messages()))


async def test_words_the_filer_writes_after_the_move_join_his_complaint_and_stay_his(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world, wang, relative, _card = await _filed_then_moved(h)
        assert "您的投诉 #" in (await relative.send("/complain 楼道灯不亮好几天了"))["text"]
        [his, theirs] = sorted(await _complaints(h), key=lambda c: c.id or 0)

        # Wang holds only 江畔小区 now; his words go on with his complaint on 阳光花园.
        joined = await wang.send("师傅还没来，电梯还是停着")
        assert joined["text"].startswith(
            f"房屋：阳光花园 1-101\n已将这条补充加入您的投诉 #{his.id}")
        await h.client.wait_for_message(h.token, world.agent.chat_id, contains="电梯还是停着")
        await relative.send("楼道灯还是不亮")  # the relative's words join the relative's own

        async with h.db() as s:
            words = (await s.exec(select(ComplaintMessage.complaint_id, ComplaintMessage.text)
                                  .where(ComplaintMessage.sender_role == "owner")
                                  .order_by(col(ComplaintMessage.id)))).all()
        assert [tuple(w) for w in words] == [(his.id, "师傅还没来，电梯还是停着"),
                                             (theirs.id, "楼道灯还是不亮")]
        assert len(await _complaints(h)) == 2  # nothing opened on 江畔小区
        assert not any("电梯" in t for t in texts(await relative.messages()))
        assert not any("楼道灯" in t for t in texts(await wang.messages()))


async def test_staff_hear_of_the_filers_words_after_the_move_under_her_name_not_the_rows_new_one(
        db_url: str) -> None:
    async with running_bot(db_url) as h:
        world, wang, _relative, _card = await _filed_then_moved(h)
        sunny = await _home_of(h, "sunny")
        async with h.db() as s, s.begin():  # the office puts the relative's name on the flat
            row = await s.get(Owner, sunny)
            assert row is not None
            row.name = RELATIVE.name

        # 张伟 still holds 江畔小区 with the same phone: his words (a risk word among them)
        # join his complaint on 阳光花园, and the staff read them as his.
        await wang.send("师傅还没来，再不修我就找律师")
        alert = await h.client.wait_for_message(h.token, world.manager.chat_id, contains="律师")
        card = await h.client.wait_for_message(h.token, world.agent.chat_id, contains="找律师")
    assert f"业主：{WANG.name}（1-101）" in alert["text"]
    assert WANG.name in card["text"] and RELATIVE.name not in card["text"]
