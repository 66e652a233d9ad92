"""Objective timeliness (issue 14): response and resolution times of closed work orders.

Response time = first action − opened (only when the property system sends the first action),
resolution time = closed − opened. Per group (the whole team, an agent, a category): p50 and
p90 in hours, and for urgent orders the share within the norm of the seed (紧急 1–2 小时响应,
24 小时内彻底解决). Pure: durations in, figures out.

Durations are kept as packed floats per (agent, category, urgency) cell, not one object per
order, so a month of a million orders costs a few tens of MB; numpy computes the percentiles
(linear between the closest ranks, numpy's default).

Groups are named by their label: `group_label` gives a category code's msgid (the built-in
categories; a company's own category shows its code), "" is an order without a category.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import count
from typing import TypeVar

import numpy as np

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
    """The team's times, and the same per agent and per group (category)."""

    norm: Norm
    grouped_by: str  # "category"
    team: TimesFigures = field(default_factory=TimesFigures)
    by_agent: dict[int, TimesFigures] = field(default_factory=dict)
    by_group: dict[str, TimesFigures] = field(default_factory=dict)


@dataclass(frozen=True)
class _Cell:
    agent_id: int | None
    group: str
    urgent: bool
    response: array[float] = field(default_factory=lambda: array("d"))
    resolution: array[float] = field(default_factory=lambda: array("d"))


def percentile(values: Iterable[float], q: float) -> float | None:
    """Return the q-th percentile (0–100) of the values, linear between closest ranks."""
    data = np.fromiter(values, dtype=float)
    return float(np.percentile(data, q)) if data.size else None


def _join(cells: list[_Cell], attr: str) -> np.ndarray:
    parts = [np.frombuffer(getattr(c, attr), dtype=float) for c in cells if len(getattr(c, attr))]
    return np.concatenate(parts) if parts else np.empty(0)


def _pct(data: np.ndarray, q: float) -> float | None:
    return float(np.percentile(data, q)) if data.size else None


def _within(data: np.ndarray, hours: float) -> float | None:
    return float(np.count_nonzero(data <= hours)) / data.size if data.size else None


def _figures(cells: list[_Cell], norm: Norm) -> TimesFigures:
    response, resolution = _join(cells, "response"), _join(cells, "resolution")
    urgent = [c for c in cells if c.urgent]
    urgent_response, urgent_resolution = _join(urgent, "response"), _join(urgent, "resolution")
    return TimesFigures(
        orders=int(resolution.size), responded=int(response.size),
        response_p50=_pct(response, 50), response_p90=_pct(response, 90),
        resolution_p50=_pct(resolution, 50), resolution_p90=_pct(resolution, 90),
        urgent=int(urgent_resolution.size), urgent_responded=int(urgent_response.size),
        urgent_response_within=_within(urgent_response, norm.urgent_response_hours),
        urgent_resolution_within=_within(urgent_resolution, norm.urgent_resolution_hours),
    )


class Collector:
    """Gather orders' durations (hours) one by one; `report` computes the figures."""

    def __init__(self) -> None:
        self._cells: dict[tuple[int | None, str, bool], _Cell] = {}
        # Columns given to add_columns, split into cells by `report`.
        self._first: dict[tuple[int | None, str, bool], int] = {}
        self._count = count()
        self._codes: list[np.ndarray] = []
        self._response: list[np.ndarray] = []
        self._resolution: list[np.ndarray] = []

    def add(self, *, agent_id: int | None, group: str, urgent: bool,
            response_hours: float | None, resolution_hours: float) -> None:
        """Count one closed order (response_hours None: no first action was sent)."""
        key = (agent_id, group, urgent)
        cell = self._cells.get(key)
        if cell is None:
            cell = self._cells[key] = _Cell(agent_id, group, urgent)
        cell.resolution.append(resolution_hours)
        if response_hours is not None:
            cell.response.append(response_hours)

    def add_columns(self, *, agent_ids: Sequence[int | None], groups: Sequence[str],
                    urgent: Sequence[bool], response_hours: np.ndarray,
                    resolution_hours: np.ndarray) -> None:
        """Count many orders at once, one sequence per field (response NaN: no first action)."""
        keys = zip(agent_ids, groups, urgent, strict=True)
        # An order's code is the running number of its cell's first order: a C-level map,
        # no Python call per order. The cells are split once, in `report`.
        self._codes.append(np.fromiter(map(self._first.setdefault, keys, self._count),
                                       dtype=np.int64, count=len(agent_ids)))
        self._response.append(response_hours)
        self._resolution.append(resolution_hours)

    def add_coded(self, *, keys: Sequence[tuple[int | None, str, bool]], codes: np.ndarray,
                  response_hours: np.ndarray, resolution_hours: np.ndarray) -> None:
        """Count many orders the caller numbered by cell: order i is in cell keys[codes[i]]
        (keys listed in the order of their first order, as `add_columns` would meet them)."""
        own = np.fromiter(map(self._first.setdefault, keys, self._count), dtype=np.int64,
                          count=len(keys))
        self._codes.append(own[codes])
        self._response.append(response_hours)
        self._resolution.append(resolution_hours)

    def _split(self) -> None:
        if not self._codes:
            return
        codes = np.concatenate(self._codes)
        order = np.argsort(codes, kind="stable")
        ranked = codes[order]
        response = np.concatenate(self._response)[order]
        resolution = np.concatenate(self._resolution)[order]
        self._codes, self._response, self._resolution = [], [], []
        key_of = {code: key for key, code in self._first.items()}
        starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]]).tolist()
        for start, end in zip(starts, [*starts[1:], len(ranked)], strict=True):
            key = key_of[int(ranked[start])]
            cell = self._cells.get(key)
            if cell is None:
                cell = self._cells[key] = _Cell(*key)
            cell.resolution.frombytes(resolution[start:end].tobytes())
            part = response[start:end]
            cell.response.frombytes(part[~np.isnan(part)].tobytes())

    def _by(self, key: Callable[[_Cell], K | None], norm: Norm) -> dict[K, TimesFigures]:
        groups: dict[K, list[_Cell]] = {}
        for cell in self._cells.values():
            k = key(cell)
            if k is not None:
                groups.setdefault(k, []).append(cell)
        return {k: _figures(cells, norm) for k, cells in groups.items()}

    def report(self, norm: Norm | None = None, grouped_by: str = "category"
               ) -> TimelinessReport:
        """Compute the team's, each agent's and each group's times."""
        self._split()
        norm = norm or Norm()
        return TimelinessReport(
            norm=norm, grouped_by=grouped_by, team=_figures(list(self._cells.values()), norm),
            by_agent=self._by(lambda c: c.agent_id, norm),
            by_group=self._by(lambda c: c.group, norm),
        )
