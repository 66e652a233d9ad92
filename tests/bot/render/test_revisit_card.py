"""The 回访 card reads like the review card: each star row starts with its question, and a
star line uses the reader's colon (• 总体满意度：⭐⭐⭐⭐), in the card and its confirmation."""

from __future__ import annotations

from bot.i18n import translator
from bot.render.revisits import State, card_buttons, card_text, saved_text
from surveys.survey.revisits import RevisitTarget

TARGET = RevisitTarget(survey_id=1, work_order="WO-9", title="地下车库积水", kind="repair",
                       urgency="normal", community_id=1, status="skipped_unbound",
                       owner_name="黄强", owner_phone="13800138009", building="5", room="502",
                       agent_name="李建国", closed_at=None, reason="skipped_unbound")
KEY = b"k" * 32


def test_each_star_row_of_the_revisit_card_starts_with_its_question() -> None:
    zh, en = translator("zh_CN"), translator("en")
    for tr, labels in ((zh, ["总体", "态度", "表达清晰", "及时性"]),
                       (en, ["Overall", "Attitude", "Clarity", "Timeliness"])):
        rows = card_buttons(KEY, tr, 1, State((4, 0, 0, 0), "p"))
        assert [row[0].text for row in rows[:4]] == labels
        assert [b.text for b in rows[0][1:]] == ["1⭐", "2⭐", "3⭐", "✅4⭐", "5⭐"]


def test_star_lines_use_the_readers_colon_in_the_card_and_the_confirmation() -> None:
    zh, en = translator("zh_CN"), translator("en")
    state = State((4, 5, 0, 0), "p")
    card = card_text(zh, TARGET, state)
    assert "• 总体满意度：⭐⭐⭐⭐\n• 服务态度：⭐⭐⭐⭐⭐\n• 表达清晰：—" in card
    assert "• Overall satisfaction: ⭐⭐⭐⭐" in card_text(en, TARGET, state)
    ratings = {"overall": 4, "attitude": 5, "clarity": 4, "timeliness": 4}
    assert "• 及时性：⭐⭐⭐⭐" in saved_text(zh, TARGET, "phone", ratings, None, False)
