"""An order's times are checked against the closing moment when the intake sends no closed_at."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from surveys.core import clock
from surveys.intake.order_in import WorkOrderIn


def _order(**times: str) -> dict[str, object]:
    return {"external_id": "WO-1", "community_code": "GG", "agent_external_id": "A-7",
            "owner": {"name": "王先生", "phone": "13812345678"}, **times}


def _codes(order: dict[str, object]) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        WorkOrderIn.model_validate(order)
    return [e["type"] for e in refused.value.errors()]


def test_a_first_action_after_now_is_refused_when_the_order_closes_now() -> None:
    later = (clock.now() + timedelta(days=2)).isoformat()
    assert _codes(_order(first_action_at=later)) == ["first_action_after_closed"]


def test_an_order_opened_after_now_is_refused_when_it_closes_now() -> None:
    later = (clock.now() + timedelta(days=2)).isoformat()
    assert _codes(_order(opened_at=later)) == ["closed_before_opened"]


def test_past_times_without_closed_at_are_kept() -> None:
    earlier = clock.now() - timedelta(hours=3)
    order = WorkOrderIn.model_validate(_order(opened_at=earlier.isoformat(),
                                              first_action_at=earlier.isoformat()))
    assert order.first_action_at == earlier and order.closed_at is None
