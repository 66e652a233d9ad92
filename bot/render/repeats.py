"""Categories and repeat problems in words: a category's label, the 返修/重复 mark, the alert."""

from __future__ import annotations

from collections.abc import Mapping

from bot.i18n import Translator
from scoring.categories import CategoryConfig
from surveys.outbox.ports import OutgoingMessage
from surveys.outbox.repeat_payloads import RepeatProblemPayload

_categories = CategoryConfig()


def set_categories(config: CategoryConfig) -> None:
    """Use the company's category list for the labels on cards (once, at start-up)."""
    global _categories
    _categories = config


def order_lines(tr: Translator, code: str | None, occurrence: int | None) -> list[str]:
    """Return a work order's category line and its 返修/重复 mark (for cards)."""
    lines = [tr._("Category: {category}", category=category_text(tr, code))] if code else []
    mark = repeat_mark(tr, occurrence)
    return [*lines, mark] if mark else lines


def category_label(tr: Translator, name: str, labels: Mapping[str, str] | None = None) -> str:
    """Return a category's label in the reader's language (the config's, else the catalog's)."""
    given = (labels or {}).get(tr.locale)
    return given or (tr._(name) if name else "—")


def category_text(tr: Translator, code: str | None, config: CategoryConfig | None = None
                  ) -> str:
    """Return the label of the category with this code (its code if the list lost it)."""
    category = (config or _categories).get(code)
    if category is None:
        return code or "—"
    return category_label(tr, category.name, category.labels)


def repeat_mark(tr: Translator, occurrence: int | None) -> str:
    """Return the 返修/重复 mark of an order that repeats a problem ("" when it does not)."""
    if not occurrence or occurrence < 2:
        return ""
    return "🔁 " + tr._("Repeat problem: order {n} for this unit and category", n=occurrence)


def unit_text(building: str | None, room: str | None) -> str:
    """Return a unit as building-room ("—" when unknown)."""
    parts = [p for p in (building, room) if p]
    return "-".join(parts) if parts else "—"


def repeat_problem(data: RepeatProblemPayload, tr: Translator, key: bytes, chat_id: int
                   ) -> OutgoingMessage:
    """Alert a manager: a unit's problem of one category came back again."""
    lines = [
        "🔁 " + tr._("Repeat problem: unit {unit} ({community}) has had {n} “{category}” "
                    "work orders within {days} days.", unit=unit_text(data.building, data.room),
                    community=data.community_name or "—", n=data.occurrence,
                    category=category_label(tr, data.category_name, data.category_labels),
                    days=f"{data.days:g}"),
        tr._("Latest: {external_id} “{title}”", external_id=data.work_order_external_id,
             title=data.work_order_title or "—"),
        tr._("Please find out why the earlier fixes did not last."),
    ]
    return OutgoingMessage(chat_id=chat_id, text="\n".join(lines))
