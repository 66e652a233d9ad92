"""The repeat-problem alert and the category labels, in both languages."""

from __future__ import annotations

from bot.i18n import Translator
from bot.render.outbox import OutboxRenderer
from bot.render.repeats import category_text, repeat_mark
from scoring.categories import Category, CategoryConfig
from surveys.outbox.kinds import OutboxKind
from surveys.outbox.repeat_payloads import RepeatProblemPayload


class _Row:
    def __init__(self, payload: dict[str, object]) -> None:
        self.kind, self.payload, self.chat_id = OutboxKind.REPEAT_PROBLEM, payload, 900


def _payload(locale: str) -> dict[str, object]:
    return RepeatProblemPayload(
        work_order_id=3, work_order_external_id="WO-3", work_order_title="厨房又漏水",
        community_name="绿地花园", building="3", room="1201", category="water_power",
        category_name="Water & power", occurrence=3, days=30, locale=locale).to_json()


def test_the_alert_names_the_unit_the_category_and_how_often_in_chinese_and_english() -> None:
    zh = OutboxRenderer(b"k" * 32)(_Row(_payload("zh_CN"))).text
    en = OutboxRenderer(b"k" * 32)(_Row(_payload("en"))).text
    assert "3-1201" in zh and "水电" in zh and "30 天内已有 3 张" in zh and "WO-3" in zh
    assert "Water & power" in en and "3 “Water & power” work orders within 30 days" in en
    assert "water_power" not in zh + en  # no internal code reaches a reader


def test_a_company_category_shows_its_own_label_and_a_lost_code_shows_as_is() -> None:
    pool = Category(code="pool", name="Swimming pool", labels={"zh_CN": "泳池"})
    config = CategoryConfig(items=(*CategoryConfig().items, pool))
    assert category_text(Translator("zh_CN"), "pool", config) == "泳池"
    assert category_text(Translator("en"), "pool", config) == "Swimming pool"
    assert category_text(Translator("zh_CN"), "elevator", config) == "电梯"
    assert category_text(Translator("zh_CN"), "gone", config) == "gone"


def test_only_a_repeat_gets_the_mark() -> None:
    assert repeat_mark(Translator("zh_CN"), 1) == ""
    assert repeat_mark(Translator("zh_CN"), 2) == "🔁 返修/重复：该房屋同类问题第 2 次"
