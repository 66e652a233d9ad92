"""Objective timeliness (issue 14): response and resolution times of closed work orders.

Response time = first action − opened (only when the property system sends the first action),
resolution time = closed − opened. Per group (the whole team, an agent, a work-order kind or
category): p50 and p90 in hours, and for urgent orders the share within the norm of the
seed (紧急 1–2 小时响应, 24 小时内彻底解决). Pure: rows in, figures out.

Groups are named by their label: `group_label` gives a category code's msgid (the built-in
categories; a company's own category shows its code), "" is an order without a category.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from scoring.categories import CategoryConfig
from scoring.reports.labels import N_

K = TypeVar("K", bound=Hashable)
NO_CATEGORY = N_("No category")
_CATEGORIES = CategoryConfig()


def group_label(code: str) -> str:
    """Return the msgid naming a category code (the code itself when the list lacks it)."""
    if not code:
        return NO_CATEGORY
    category = _CATEGORIES.get(code)
    return category.name if category is not None else code


@dataclass(frozen=True)
class OrderTimes:
    """One closed work order's times (naive UTC) and what it is grouped by."""

    agent_id: int | None
    group: str  # the work order's category code ("" when it has none)
    urgent: bool
    opened_at: datetime
    first_action_at: datetime | None
    closed_at: datetime


@dataclass(frozen=True)
class Norm:
    """The targets for urgent orders: respond within, and resolve within, these hours."""

    urgent_response_hours: float = 2.0
    urgent_resolution_hours: float = 24.0


@dataclass(frozen=True)
class TimesFigures:
    """Response and resolution times of a set of orders, in hours."""

    orders: int = 0
    responded: int = 0  # orders with a first-action time
    response_p50: float | None = None
    response_p90: float | None = None
    resolution_p50: float | None = None
    resolution_p90: float | None = None
    urgent: int = 0
    urgent_responded: int = 0
    urgent_response_within: float | None = None  # share of urgent orders with a first action
    urgent_resolution_within: float | None = None  # share of urgent orders


@dataclass(frozen=True)
class TimelinessReport:
    """The team's times, and the same per agent and per group (category or kind)."""

    norm: Norm
    grouped_by: str  # "category"
    team: TimesFigures = field(default_factory=TimesFigures)
    by_agent: dict[int, TimesFigures] = field(default_factory=dict)
    by_group: dict[str, TimesFigures] = field(default_factory=dict)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Return the q-th percentile (0–100) of the values, linear between closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _hours(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 3600


def _share(hits: int, n: int) -> float | None:
    return hits / n if n else None


def figures(orders: Iterable[OrderTimes], norm: Norm) -> TimesFigures:
    """Compute the times of a set of orders."""
    rows = list(orders)
    response = [_hours(o.opened_at, o.first_action_at) for o in rows if o.first_action_at]
    resolution = [_hours(o.opened_at, o.closed_at) for o in rows]
    urgent = [o for o in rows if o.urgent]
    urgent_response = [_hours(o.opened_at, o.first_action_at) for o in urgent
                       if o.first_action_at]
    urgent_resolution = [_hours(o.opened_at, o.closed_at) for o in urgent]
    return TimesFigures(
        orders=len(rows), responded=len(response),
        response_p50=percentile(response, 50), response_p90=percentile(response, 90),
        resolution_p50=percentile(resolution, 50), resolution_p90=percentile(resolution, 90),
        urgent=len(urgent), urgent_responded=len(urgent_response),
        urgent_response_within=_share(
            sum(h <= norm.urgent_response_hours for h in urgent_response), len(urgent_response)),
        urgent_resolution_within=_share(
            sum(h <= norm.urgent_resolution_hours for h in urgent_resolution),
            len(urgent_resolution)),
    )


def _by(orders: Sequence[OrderTimes], key: Callable[[OrderTimes], K | None], norm: Norm
        ) -> dict[K, TimesFigures]:
    groups: dict[K, list[OrderTimes]] = defaultdict(list)
    for order in orders:
        k = key(order)
        if k is not None:
            groups[k].append(order)
    return {k: figures(rows, norm) for k, rows in groups.items()}


def timeliness(orders: Iterable[OrderTimes], *, norm: Norm | None = None,
               grouped_by: str = "category") -> TimelinessReport:
    """Compute the team's, each agent's and each group's times."""
    rows = list(orders)
    norm = norm or Norm()
    return TimelinessReport(
        norm=norm, grouped_by=grouped_by, team=figures(rows, norm),
        by_agent=_by(rows, lambda o: o.agent_id, norm),
        by_group=_by(rows, lambda o: o.group, norm),
    )
