"""Table-driven checks of each linguistic case the classifier must handle."""

from __future__ import annotations

import pytest

from scoring.classifier import classify

# (comment, expected polarity or None to skip, aspect, expected aspect value)
ASPECT_CASES = [
    # The traps from DESIGN.md §5.
    ("不满意", "negative", None, None),
    ("处理很及时", "positive", "timeliness", "pos"),
    ("解释得很清楚", "positive", "clarity", "pos"),
    # Negation scope, including double negation.
    ("师傅来得不慢", "positive", "timeliness", "pos"),
    ("维修师傅没有不耐烦，一直在帮我找原因", "positive", "attitude", "pos"),
    ("并非态度问题，师傅一直很客气", "positive", "attitude", "pos"),
    ("一点都不及时，等了一整天", "negative", "timeliness", "neg"),
    ("师傅说得不清楚", "negative", "clarity", "neg"),
    ("漏水还没修好", "negative", "resolution", "neg"),
    ("进门一句道歉都没有", "negative", "attitude", "neg"),
    # Degree words.
    ("管家态度非常好", "positive", "attitude", "pos"),
    ("客服态度太差了", "negative", "attitude", "neg"),
    ("来得有点慢", "negative", "timeliness", "neg"),
    # Contrast: the clause after 但是 dominates; 虽然 concedes.
    ("虽然来得晚，但是修得很好", "positive", "resolution", "pos"),
    ("虽然来得晚，但是修得很好", "positive", "timeliness", "neg"),
    ("虽然态度不错，但是问题一直没解决", "negative", "resolution", "neg"),
    ("师傅人挺好的，但是漏水根本没解决", "mixed", "attitude", "pos"),
    ("服务态度没得说，就是稍微慢了一点", "positive", "timeliness", "neg"),
    # A plain lateness is not averaged away by a quick step elsewhere in the comment.
    ("师傅来得非常快，处理得也非常及时，可是配件等了三天才到", None, "timeliness", "neg"),
    ("你们的速度真快啊，才等了五天", None, "timeliness", "neg"),
    # ... but a mild wish does not outweigh praise of the speed.
    ("来得很快很及时，希望下次能再早一点", None, "timeliness", "pos"),
    # Rhetorical questions and sarcasm.
    ("这也叫及时？", "negative", "timeliness", "neg"),
    ("这就叫修好了？一开水龙头还是喷", "negative", "resolution", "neg"),
    ("真是太“及时”了，报修一个星期才来", "negative", "timeliness", "neg"),
    ("难道等三天很正常吗？", "negative", "timeliness", "neg"),
    # An intensifier is not irony by itself (真是太… used to flip genuine praise).
    ("师傅真是太好了", "positive", None, None),
    # "不是 X，是 Y": Y replaces X's verdict (不慢 must not rate the speed as good), wherever
    # the 不是 stands in the opening words (已经不是, 不只是).
    ("不是慢，是根本不来", "negative", "timeliness", "neg"),
    ("不是修得慢的问题，是根本没人修", "negative", "resolution", "neg"),
    ("这已经不是修得慢的问题了，是根本没人修", "negative", "resolution", "neg"),
    ("不是回复慢，是压根不回", "negative", "attitude", "neg"),
    ("不是找不到人，是找到了也没用，该漏还是漏", "negative", "resolution", "neg"),
    # Conduct owners blame as attitude (LABELING.md): nobody answers (attitude and speed), the
    # problem is passed on, the call is hung up; a denied buck-passing is praise.
    ("电话打了三遍都没人接", "negative", "attitude", "neg"),
    ("电话打了三遍都没人接", "negative", "timeliness", "neg"),
    ("说是二十四小时客服，晚上打过去根本没人接", "negative", "attitude", "neg"),
    ("客服说找保安，保安说找客服", "negative", "attitude", "neg"),
    ("物业说不归他们管，让我自己想办法", "negative", "attitude", "neg"),
    ("管家从不推脱，有事都帮忙", "positive", "attitude", "pos"),
    # Hopes and suggestions: a mild aspect negative, not a complaint.
    ("希望下次快一点", "neutral", "timeliness", "neg"),
    ("希望下次能快一点，师傅人很好", "positive", "timeliness", "neg"),
    ("建议上门前先打个电话", "neutral", None, None),
    # Waits and quick responses written with numbers.
    ("等了三天才有人来", "negative", "timeliness", "neg"),
    ("十分钟就到了，很给力", "positive", "timeliness", "pos"),
    ("报修两个小时了还没人联系", "negative", "timeliness", "neg"),
    # Persistent problems.
    ("修完还是漏水", "negative", "resolution", "neg"),
    ("电梯又坏了", "negative", "resolution", "neg"),
    ("门禁卡补办好了，很方便", "positive", "resolution", "pos"),
    # Neutral questions and statements.
    ("师傅几点能到？", "neutral", None, None),
    ("是3栋2单元", "neutral", None, None),
]


@pytest.mark.parametrize(("text", "polarity", "aspect", "value"), ASPECT_CASES)
def test_linguistic_case_is_classified_as_expected(
    text: str, polarity: str | None, aspect: str | None, value: str | None
) -> None:
    result = classify(text)
    if polarity is not None:
        assert result.polarity == polarity, result.to_dict()
    if aspect is not None:
        assert result.aspects[aspect] == value, result.to_dict()
        assert result.evidence[aspect], "a decided aspect names the words behind it"


@pytest.mark.parametrize(
    ("text", "aspect"),
    [
        ("这已经不是修得慢的问题了，是根本没人修", "timeliness"),
        ("不是找不到人，是找到了也没用，该漏还是漏", "attitude"),
        ("不是找不到人，是找到了也没用，该漏还是漏", "timeliness"),
    ],
)
def test_what_not_x_but_y_sets_aside_is_not_rated(text: str, aspect: str) -> None:
    assert classify(text).aspects[aspect] is None


COMPLAINT_CASES = [
    ("维修师傅态度很差，等了三天才来", True),
    ("不满意", True),
    ("漏水问题反反复复，能不能一次性彻底解决", True),
    ("师傅态度挺好，可惜问题没解决", True),
    ("希望下次快一点", False),
    ("来得不慢，挺好的", False),
    ("建议物业多组织一些社区活动", False),
    ("处理很及时，谢谢", False),
    ("虽然等了两天，但是修得很仔细，满意", False),
]


@pytest.mark.parametrize(("text", "complaint"), COMPLAINT_CASES)
def test_complaint_flag_marks_real_grievances_only(text: str, complaint: bool) -> None:
    assert classify(text).complaint is complaint


def test_slow_negated_is_not_a_timeliness_complaint() -> None:
    result = classify("不慢")
    assert result.aspects["timeliness"] != "neg"
    assert result.complaint is False
