"""Objective timeliness: percentiles and the urgent norm, from orders' times (pure)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from scoring.timeliness import Norm, OrderTimes, figures, group_label, percentile, timeliness

T0 = datetime(2026, 11, 16, 2, 0)


def _order(agent: int | None, *, resolve_h: float, respond_h: float | None = None,
           urgent: bool = False, group: str = "water_power") -> OrderTimes:
    return OrderTimes(
        agent_id=agent, group=group, urgent=urgent, opened_at=T0,
        first_action_at=None if respond_h is None else T0 + timedelta(hours=respond_h),
        closed_at=T0 + timedelta(hours=resolve_h))


def test_no_values_have_no_percentile() -> None:
    assert percentile([], 50) is None


@pytest.mark.parametrize(("values", "q", "expected"), [
    ([7.0], 90, 7.0), ([3.0, 1.0, 2.0], 50, 2.0), ([1.0, 2.0, 3.0, 4.0], 50, 2.5),
    ([0.5, 1.0, 3.0], 90, 2.6), ([1.0, 2.0], 0, 1.0), ([1.0, 2.0], 100, 2.0),
])
def test_percentiles_interpolate_between_the_closest_ranks(
    values: list[float], q: float, expected: float
) -> None:
    assert percentile(values, q) == pytest.approx(expected)


def test_response_time_counts_only_orders_that_sent_a_first_action() -> None:
    f = figures([_order(1, resolve_h=20, respond_h=1), _order(1, resolve_h=50)], Norm())
    assert (f.orders, f.responded) == (2, 1)
    assert f.response_p50 == f.response_p90 == 1.0
    assert f.resolution_p50 == 35.0 and f.resolution_p90 == pytest.approx(47.0)


def test_urgent_orders_are_measured_against_the_norm() -> None:
    orders = [_order(1, resolve_h=20, respond_h=1, urgent=True),
              _order(1, resolve_h=30, respond_h=3, urgent=True),
              _order(1, resolve_h=23.5, urgent=True),
              _order(1, resolve_h=200, respond_h=100)]  # not urgent: no norm applies
    f = figures(orders, Norm())
    assert (f.urgent, f.urgent_responded) == (3, 2)
    assert f.urgent_response_within == 0.5  # of the urgent orders with a first action
    assert f.urgent_resolution_within == pytest.approx(2 / 3)
    strict = figures(orders, Norm(urgent_response_hours=0.5, urgent_resolution_hours=12))
    assert strict.urgent_response_within == 0.0 and strict.urgent_resolution_within == 0.0


def test_without_urgent_orders_the_shares_are_unknown_not_zero() -> None:
    f = figures([_order(1, resolve_h=5)], Norm())
    assert f.urgent == 0 and f.urgent_response_within is None
    assert f.urgent_resolution_within is None


def test_the_report_splits_by_agent_and_by_group() -> None:
    report = timeliness([_order(1, resolve_h=2), _order(1, resolve_h=4, group="elevator"),
                         _order(2, resolve_h=10), _order(None, resolve_h=8, group="")])
    assert report.team.orders == 4 and report.grouped_by == "category"
    assert {k: v.orders for k, v in report.by_agent.items()} == {1: 2, 2: 1}
    assert {k: v.resolution_p50 for k, v in report.by_group.items()} == {
        "water_power": 6.0, "elevator": 4.0, "": 8.0}


def test_groups_are_named_by_the_category_list() -> None:
    assert group_label("elevator") == "Elevator"
    assert group_label("") == "No category"
    assert group_label("rooftop_garden") == "rooftop_garden"  # a company's own category
