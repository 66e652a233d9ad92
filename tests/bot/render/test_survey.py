"""The survey message shows the answers so far and the buttons of the next step."""

from __future__ import annotations

from types import SimpleNamespace

from bot import callbacks
from bot.i18n import translator
from bot.render import OutboxRenderer, SurveyCard, card_from_payload, render_survey
from surveys.outbox.kinds import SurveyPayload
from surveys.outbox.ports import Keyboard

KEY = callbacks.derive_secret("k", "")
PAYLOAD = {"survey_id": 9, "work_order_title": "电梯异响", "work_order_kind": "repair",
           "work_order_external_id": "WO-9", "agent_name": "王晓梅", "locale": "zh_CN"}


def _card(**changes: object) -> SurveyCard:
    """The survey's card from its typed payload, with some stored fields changed."""
    return card_from_payload(SurveyPayload.of({**PAYLOAD, **changes}))


def _labels(keyboard: Keyboard) -> list[str]:
    return [b.text for row in keyboard for b in row]


def test_new_survey_asks_for_overall_with_five_star_buttons() -> None:
    text, keyboard = render_survey(_card(), translator("zh_CN"), KEY)
    assert "电梯异响" in text and "王晓梅" in text and "WO-9" in text
    assert text.splitlines()[-1] == "请为「总体满意度」打分（1-5 星）："
    assert _labels(keyboard) == ["1⭐", "2⭐", "3⭐", "4⭐", "5⭐"]
    assert callbacks.verify(KEY, keyboard[0][2].callback_data) == callbacks.Callback(
        "r", survey_id=9, question="overall", rating=3)


def test_later_question_offers_back_and_marks_the_current_answer() -> None:
    card = _card(ratings={"overall": 4, "attitude": 2})
    text, keyboard = render_survey(card, translator("en"), KEY, asking="attitude")
    assert "Service attitude: ★★☆☆☆" in text
    assert "✅2⭐" in _labels(keyboard)
    back = keyboard[-1][0]
    assert callbacks.verify(KEY, back.callback_data) == callbacks.Callback(
        "e", survey_id=9, question="overall")


def test_all_answered_offers_change_buttons_and_submit_without_comment() -> None:
    card = _card(ratings=dict.fromkeys(("overall", "attitude", "clarity", "timeliness"), 5))
    _text, keyboard = render_survey(card, translator("zh_CN"), KEY)
    assert "不写意见，直接提交" in _labels(keyboard)
    assert "修改：及时性" in _labels(keyboard)


def test_submitted_and_expired_surveys_have_no_buttons() -> None:
    for status, words in (("submitted", "已提交"), ("expired", "已过期")):
        text, keyboard = render_survey(_card(status=status), translator("zh_CN"), KEY)
        assert words in text and keyboard == []


def test_outbox_expiry_renders_an_edit_of_the_survey_message() -> None:
    row = SimpleNamespace(kind="survey_expired", chat_id=42,
                          payload={**PAYLOAD, "message_id": 77})
    message = OutboxRenderer(KEY)(row)
    assert message.extra["edit_message_id"] == "77" and not message.buttons
    assert "已过期" in message.text


def test_outbox_reminder_replies_to_the_survey_in_the_owners_language() -> None:
    row = SimpleNamespace(kind="reminder", chat_id=42,
                          payload={**PAYLOAD, "message_id": 77, "locale": "en"})
    message = OutboxRenderer(KEY)(row)
    assert message.extra["reply_to_message_id"] == "77"
    assert "reminder" in message.text and "电梯异响" in message.text
