"""Table-driven checks that speed, manner and fault words rate an aspect only in context."""

from __future__ import annotations

import pytest

from scoring.classifier import api, classify, lexicon, rulebased
from scoring.classifier.rules import BRIEF_CHARS

# (comment, aspect, expected value). The long ones are over BRIEF_CHARS on purpose: a short
# reply to a work order is taken to be about that service, a longer story is not.
LONG_CASES = [
    # A time word that is not about the service's speed rates nothing: 快…了 is "almost",
    # even in a clause that names the property office.
    (
        "物业的人说快过年了，在小区门口挂了两排红灯笼，晚上亮起来特别好看，家里老人孩子都很喜欢",
        "timeliness",
        None,
    ),
    # A longer time word about one's own baking is not about anybody's service either.
    (
        "这次的蛋糕是自己在家烤的，烤的时间太久了，边上有点焦，下次要注意火候，不过味道还可以的",
        "timeliness",
        None,
    ),
    # ... but a speed word next to a service word or person still does.
    (
        "上周五晚上家里停电，打给物业值班电话，电工十分钟就到了，查出来是空开跳了，换了一个新的",
        "timeliness",
        "pos",
    ),
    # 等 after a list means "etc.", not "wait" (a regression case: 等 alone is too weak to tag).
    (
        "小区门口新开了几家店，卖水果、蔬菜、面包等，逛了一圈买了不少东西回来，感觉生活方便了很多",
        "timeliness",
        None,
    ),
    # A wait verb in use is about service on its own.
    (
        "周末去物业中心办停车证，前面排了好几个人，足足等了四十分钟才轮到我，窗口只开了一个",
        "timeliness",
        "neg",
    ),
    # 快…了 means "almost", also in a clause that names the service.
    (
        "物业说楼上的装修快结束了，这段时间他们管得挺严，周末不让开工，家里老人孩子都休息得不错",
        "timeliness",
        None,
    ),
    # Other people queuing describes a crowd, not a wait the writer sat through.
    (
        "周六上午小区组织免费体检，活动室门口很多人在排队等着，大家有说有笑，还领了小礼品回家",
        "timeliness",
        None,
    ),
    # 早点 rates only as a request; 早点铺子 is a breakfast stall.
    (
        "早点铺子就在小区东门外面，每天早上六点开门，豆浆油条都有，附近的老人很喜欢去那里吃东西",
        "timeliness",
        None,
    ),
    # A wait that did not happen is praise.
    (
        "今天去物业中心交物业费，不用排队，工作人员三两下就帮我办好了，还提醒我下次可以在手机上交",
        "timeliness",
        "pos",
    ),
    # A manner word without a person or service in sight rates no attitude.
    (
        "家里新买的沙发到了，包装很用心，四个角都包了泡沫，颜色和图片一样，坐着也舒服，整体满意",
        "attitude",
        None,
    ),
    # ... but with a person in the clause it does.
    (
        "晚上十点水管爆了，打电话给物业，值班的保安很热情，马上帮我联系了维修师傅，还拿来了拖把",
        "attitude",
        "pos",
    ),
    # A moment's wait rates no speed; a trip's length is not the service's speed.
    (
        "下午去物业中心交停车费，前台说系统在更新，让我等了一会儿，交完顺便问了下快递柜的事情",
        "timeliness",
        None,
    ),
    (
        "新搬来的小区离地铁站很近，出门走几分钟就到了，旁边还有个菜市场，买菜也方便，很满意",
        "timeliness",
        None,
    ),
    (
        "小区门口坐公交十分钟就到市中心，很方便，周末常去逛街，旁边还有超市和公园，生活挺便利的，住着舒服",
        "timeliness",
        None,
    ),
    # ... while a real wait in the same setting still counts.
    (
        "下午去物业中心交停车费，前台说系统在更新，让我等了一个多小时，交完顺便问了下快递柜的事情",
        "timeliness",
        "neg",
    ),
]

SHORT_CASES = [
    # 人 counts heads unless it follows a person (师傅人很好).
    ("大厅里没什么人，事情办得挺顺利", "attitude", None),
    ("师傅人太好了", "attitude", "pos"),
    # "So-so" after a target rates neither way; a recommendation is not a rating of the person.
    ("管家的服务一般吧", "attitude", None),
    ("管家推荐我们用手机缴费", "attitude", None),
    # A weak word between target and praise does not block it; 蛮好的 is praise, not "OK".
    ("师傅还是不错的", "attitude", "pos"),
    ("保安蛮好的", "attitude", "pos"),
    # General manner words.
    ("保安面无表情", "attitude", "neg"),
    ("管家很友善", "attitude", "pos"),
    ("前台有点怠慢", "attitude", "neg"),
    # A fault that still lasts is unsolved; one that lasted until someone came is only late.
    ("车库的排风扇坏了二十天了，一进去就闷", "resolution", "neg"),
    ("单元门坏了两天才有人来修", "resolution", None),
    ("单元门坏了两天才有人来修", "timeliness", "neg"),
    # 才修好: late, but fixed.
    ("水泵一个星期才修好，总算有水了", "resolution", "pos"),
    ("水泵一个星期才修好，总算有水了", "timeliness", "neg"),
    ("等一下就好了，师傅说马上来", "timeliness", "pos"),
    # How long a state has lasted is nobody's service speed; how long a repair took is.
    ("在这个小区住了很久了，环境一直不错", "timeliness", None),
    ("这个问题我想反映很久了", "timeliness", None),
    ("师傅修了很久才修好", "timeliness", "neg"),
    # After 因为/为了, 才 gives the reason, not a late arrival.
    ("是因为朋友过生日才来这里吃饭", "timeliness", None),
    ("因为要换配件才来晚了", "timeliness", "neg"),
    # 好 before another word is the adverb "so": the next word carries the rating.
    ("管家好有个性，头发染成了绿色", "attitude", None),
    ("师傅好凶", "attitude", "neg"),
    ("态度好服务好", "attitude", "pos"),
    # 负责 with an object is "in charge of", not "conscientious".
    ("负责我们楼的管家换人了", "attitude", None),
    ("物业说他们只负责登记", "attitude", None),
    ("师傅很负责", "attitude", "pos"),
    ("很负责的管家，有事随叫随到", "attitude", "pos"),
    # Short replies need no anchor: the work order is the subject.
    ("太慢了", "timeliness", "neg"),
    ("很热情", "attitude", "pos"),
    # Nobody coming at all is late, whatever came before (也不来, 根本不来).
    ("叫了三次也不来", "timeliness", "neg"),
    ("师傅迟迟不来", "timeliness", "neg"),
    # "So-so" service is named but not rated: the learned heads add no tag there either.
    ("保洁阿姨的服务一般般", "attitude", None),
    # A brief wait conceded before praise is still a (mild) drawback of speed.
    ("虽然等了一会儿，但师傅修得很仔细", "timeliness", "neg"),
]


@pytest.mark.parametrize(("text", "aspect", "value"), LONG_CASES)
def test_long_comment_rates_speed_and_manner_only_about_the_service(
    text: str, aspect: str, value: str | None
) -> None:
    assert len(text) > BRIEF_CHARS
    result = classify(text)
    assert result.aspects[aspect] == value, (text, result.aspects, result.evidence)


@pytest.mark.parametrize(("text", "aspect", "value"), SHORT_CASES)
def test_short_comment_aspect_follows_the_context_rules(
    text: str, aspect: str, value: str | None
) -> None:
    result = classify(text)
    assert result.aspects[aspect] == value, (text, result.aspects, result.evidence)


def test_evidence_of_a_denied_wait_names_the_denial() -> None:
    result = classify("今天办事不用排队，很顺利")
    assert result.aspects["timeliness"] == "pos"
    assert any("不用排队" in word for word in result.evidence["timeliness"])


@pytest.mark.parametrize(
    "text", ["管家好有个性，头发染成了绿色", "负责我们楼的管家换人了", "物业说他们只负责登记"]
)
def test_a_person_described_but_not_rated_leaves_attitude_unrated_for_the_heads(
    text: str,
) -> None:
    _, tokens = api.prepare(text)
    verdict = rulebased.decide(tokens, lexicon.load())
    assert verdict.aspects["attitude"] is None
    assert "attitude" in verdict.unrated
