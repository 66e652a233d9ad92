"""Objective timeliness: percentiles and the urgent norm, from orders' durations (pure)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from scoring.timeliness import Collector, Norm, TimelinessReport, group_label, percentile


def _report(*orders: tuple[int | None, float, float | None, bool, str],
            norm: Norm | None = None) -> TimelinessReport:
    times = Collector()
    for agent, resolve_h, respond_h, urgent, group in orders:
        times.add(agent_id=agent, group=group, urgent=urgent, response_hours=respond_h,
                  resolution_hours=resolve_h)
    return times.report(norm)


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
    team = _report((1, 20, 1, False, "elevator"), (1, 50, None, False, "elevator")).team
    assert (team.orders, team.responded) == (2, 1)
    assert team.response_p50 == team.response_p90 == 1.0
    assert team.resolution_p50 == 35.0 and team.resolution_p90 == pytest.approx(47.0)


def test_urgent_orders_are_measured_against_the_norm() -> None:
    orders = [(1, 20.0, 1.0, True, "elevator"), (1, 30.0, 3.0, True, "elevator"),
              (1, 23.5, None, True, "water_power"),
              (1, 200.0, 100.0, False, "elevator")]  # not urgent: no norm applies
    team = _report(*orders).team
    assert (team.urgent, team.urgent_responded) == (3, 2)
    assert team.urgent_response_within == 0.5  # of the urgent orders with a first action
    assert team.urgent_resolution_within == pytest.approx(2 / 3)
    strict = _report(*orders, norm=Norm(urgent_response_hours=0.5,
                                        urgent_resolution_hours=12)).team
    assert strict.urgent_response_within == 0.0 and strict.urgent_resolution_within == 0.0


def test_an_order_exactly_at_the_norm_is_within_it() -> None:
    team = _report((1, 24.0, 2.0, True, "elevator")).team
    assert team.urgent_response_within == 1.0 and team.urgent_resolution_within == 1.0


def test_without_urgent_orders_the_shares_are_unknown_not_zero() -> None:
    team = _report((1, 5.0, None, False, "elevator")).team
    assert team.urgent == 0 and team.urgent_response_within is None
    assert team.urgent_resolution_within is None


def test_the_report_splits_by_agent_and_by_group() -> None:
    report = _report((1, 2, None, False, "water_power"), (1, 4, None, False, "elevator"),
                     (2, 10, None, True, "water_power"), (None, 8, None, False, ""))
    assert report.team.orders == 4 and report.grouped_by == "category"
    assert {k: v.orders for k, v in report.by_agent.items()} == {1: 2, 2: 1}  # no agent: team only
    assert {k: v.resolution_p50 for k, v in report.by_group.items()} == {
        "water_power": 6.0, "elevator": 4.0, "": 8.0}


def test_groups_are_named_by_the_category_list() -> None:
    assert group_label("elevator") == "Elevator"
    assert group_label("") == "No category"
    assert group_label("rooftop_garden") == "rooftop_garden"  # a company's own category


def _random_orders(seed: int) -> list[tuple[int | None, float, float | None, bool, str]]:
    """Orders as (agent, resolution hours, response hours or None, urgent, group)."""
    rng = random.Random(seed)
    return [(rng.choice([1, 2, None]), round(rng.uniform(0, 90), 6),
             rng.choice([None, round(rng.uniform(0, 9), 6)]), rng.random() < 0.2,
             rng.choice(["elevator", "cleaning", ""])) for _ in range(500)]


def test_orders_given_as_columns_give_the_figures_of_orders_given_one_by_one() -> None:
    orders = _random_orders(7)
    columns = Collector()
    for start in range(0, len(orders), 64):  # pages of a read, the last one short
        page = orders[start:start + 64]
        columns.add_columns(
            agent_ids=[o[0] for o in page], groups=[o[4] for o in page],
            urgent=[o[3] for o in page],
            response_hours=np.array([np.nan if o[2] is None else o[2] for o in page]),
            resolution_hours=np.array([o[1] for o in page]))
    assert columns.report() == _report(*orders)


def test_orders_numbered_by_cell_give_the_figures_of_orders_given_one_by_one() -> None:
    orders = _random_orders(11)
    coded = Collector()
    for start in range(0, len(orders), 64):
        page = orders[start:start + 64]
        keys: list[tuple[int | None, str, bool]] = []
        for o in page:  # the cells in the order of their first order, as a caller numbers them
            if (o[0], o[4], o[3]) not in keys:
                keys.append((o[0], o[4], o[3]))
        coded.add_coded(
            keys=keys, codes=np.array([keys.index((o[0], o[4], o[3])) for o in page]),
            response_hours=np.array([np.nan if o[2] is None else o[2] for o in page]),
            resolution_hours=np.array([o[1] for o in page]))
    assert coded.report() == _report(*orders)
