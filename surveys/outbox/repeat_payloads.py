"""Typed payload of the intake's repeat alert (kind `repeat_problem`, issue 14)."""

from __future__ import annotations

from surveys.outbox.kinds import OutboxPayload


class RepeatProblemPayload(OutboxPayload):
    """A unit's problem of one category came back again: the alert to a manager."""

    work_order_id: int
    work_order_external_id: str
    work_order_title: str = ""
    community_name: str = ""
    building: str
    room: str
    category: str  # its code
    category_name: str = ""  # the English name, a msgid for the built-in categories
    category_labels: dict[str, str] = {}  # labels the config gives
    occurrence: int  # the orders of this unit and category in the window, this one included
    days: float  # the window
