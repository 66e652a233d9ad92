"""Typed payload of the morning list of pending 回访 (kind `revisit_list`, issue 14)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from surveys.outbox.kinds import OutboxPayload, keys


class PendingOrder(BaseModel):
    """One order waiting for a 回访; the phone is masked (the /revisit card shows it in full)."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    work_order: str
    title: str = ""
    owner_name: str | None = None
    owner_phone: str | None = None  # masked
    building: str | None = None
    room: str | None = None
    reason: str = Field("", validation_alias=keys("reason", "status"))  # why no answer came


class RevisitListPayload(OutboxPayload):
    """The 回访 staff's morning list: how many wait, the first `orders` of them."""

    count: int
    orders: list[PendingOrder] = []
