"""The simulated team of bench/fairness.py: agents with a hidden true quality, a year of
work orders, owners' noisy ratings, complaints and appeals, as rows for the real tables.

Nothing here knows the points model: the data are generated from the hidden qualities only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np

DIMENSIONS = ("attitude", "clarity", "timeliness")
REVIEW_CRITERIA = ("knowledge", "communication", "teamwork")
YEAR = 2026


@dataclass(frozen=True)
class SimParams:
    """The knobs of the simulated world (defaults: the world docs/benchmarks.md reports)."""

    agents: int = 40
    months: int = 12
    small_agents: int = 6  # new or part-time: 2–8 orders a month
    min_load: float = 5.0
    max_load: float = 200.0
    quality_sd: float = 0.4  # spread of the agents' mean stars per dimension
    order_sd: float = 0.5  # how much one order's service varies around the agent's mean
    owner_bias_sd: float = 0.35
    rating_sd: float = 0.5
    always_five: float = 0.08  # share of owners who always give 5 stars
    always_one: float = 0.04  # ... and 1 star
    direct_base: float = 0.02  # direct complaints per order at team-average service
    unfair_rate: float = 0.01  # unfair complaints per order, whatever the service
    appeal_void: float = 0.7  # share of unfair complaints voided on appeal
    low_rating: int = 2  # a rating at or below opens a complaint (the bot's default)


@dataclass
class TrueAgent:
    agent_id: int
    stars: dict[str, float]  # expected stars per dimension (hidden)
    handling: float  # z-score of complaint-handling skill (hidden)
    review: dict[str, float]  # expected manager stars per review criterion (hidden)
    response_rate: float
    load: float
    truth: float = 0.0  # the true quality the points should rank by


@dataclass
class World:
    params: SimParams
    agents: list[TrueAgent]
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    month_starts: list[datetime] = field(default_factory=list)


def _ts(value: datetime) -> str:
    # SQLAlchemy's SQLite text format: the same width, so boundaries compare like datetimes.
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def make_agents(rng: np.random.Generator, p: SimParams) -> list[TrueAgent]:
    """Draw the agents' hidden qualities, response rates and workloads."""
    out = []
    for i in range(p.agents):
        g = rng.normal()
        z = {d: 0.75 * g + 0.66 * rng.normal() for d in DIMENSIONS}
        z_handling = 0.6 * g + 0.8 * rng.normal()
        small = i < p.small_agents
        load = (rng.uniform(2, 8) if small
                else math.exp(rng.uniform(math.log(p.min_load), math.log(p.max_load))))
        agent = TrueAgent(
            agent_id=i + 1,
            stars={d: float(np.clip(4.0 + p.quality_sd * z[d], 2.0, 5.0)) for d in DIMENSIONS},
            handling=z_handling,
            review={c: float(np.clip(3.6 + 0.7 * (0.7 * g + 0.7 * rng.normal()), 1, 5))
                    for c in REVIEW_CRITERIA},
            response_rate=float(rng.uniform(0.3, 0.7)),
            load=load,
        )
        # True quality: the three service dimensions and complaint handling, equally weighted.
        agent.truth = float(np.mean([z[d] for d in DIMENSIONS] + [z_handling]))
        out.append(agent)
    return out


def _rating(rng: np.random.Generator, service: float, bias: float, kind: int,
            p: SimParams) -> int:
    if kind:
        return kind
    return int(np.clip(round(service + bias + rng.normal(0, p.rating_sd)), 1, 5))


def simulate(seed: int, p: SimParams | None = None) -> World:
    """Generate a year of work for one seed; rows are ready for executemany."""
    p = p or SimParams()
    rng = np.random.default_rng(seed)
    agents = make_agents(rng, p)
    owners = 2000
    kinds = rng.choice([0, 5, 1], size=owners + 1,
                       p=[1 - p.always_five - p.always_one, p.always_five, p.always_one])
    biases = rng.normal(0, p.owner_bias_sd, size=owners + 1)
    rows: dict[str, list[tuple[Any, ...]]] = {k: [] for k in
                                              ("orders", "surveys", "responses",
                                               "complaints", "appeals")}
    world = World(params=p, agents=agents, rows=rows)
    now = _ts(datetime(YEAR + 1, 1, 20))
    oid = 0
    for month in range(p.months):
        # Local (Asia/Shanghai) month start in naive UTC.
        start = datetime(YEAR, month + 1, 1) - timedelta(hours=8)
        end = (datetime(YEAR + (month == 11), month % 12 + 2 if month < 11 else 1, 1)
               - timedelta(hours=8))
        world.month_starts.append(start)
        seconds = int((end - start).total_seconds()) - 4 * 3600
        for a in agents:
            for _ in range(int(rng.poisson(a.load))):
                oid += 1
                _order(rng, world, a, oid, start + timedelta(seconds=int(rng.integers(seconds))),
                       int(rng.integers(1, owners + 1)), kinds, biases, now)
    return world


def _order(rng: np.random.Generator, world: World, a: TrueAgent, oid: int, closed: datetime,
           owner: int, kinds: Any, biases: Any, now: str) -> None:
    p, rows = world.params, world.rows
    service = {d: a.stars[d] + rng.normal(0, p.order_sd) for d in DIMENSIONS}
    mean_service = float(np.mean(list(service.values())))
    sent = closed + timedelta(minutes=5)
    rows["orders"].append((oid, f"SIM{oid}", 1, owner, a.agent_id, "repair", "normal", "",
                           _ts(closed), _ts(closed), now))
    responded = rng.random() < a.response_rate
    submitted = sent + timedelta(hours=3)
    rows["surveys"].append((oid, oid, owner, a.agent_id,
                            "submitted" if responded else "expired", _ts(closed), _ts(sent)))
    kind = int(kinds[owner])
    if responded:
        ratings = [_rating(rng, mean_service, biases[owner], kind, p)]
        ratings += [_rating(rng, service[d], biases[owner], kind, p) for d in DIMENSIONS]
        rows["responses"].append((oid, oid, *ratings, 0, now, now, _ts(submitted)))
        if min(ratings) <= p.low_rating:
            # Always-1 owners' complaints are unfair: appealed, and often voided.
            unfair = kind == 1
            _complaint(rng, world, a, oid, owner, "low_rating", submitted, mean_service, unfair)
    z = (mean_service - 4.0) / max(p.quality_sd, 1e-9)
    if rng.random() < min(0.3, p.direct_base * math.exp(-1.2 * z)):
        _complaint(rng, world, a, oid, owner, "direct", closed + timedelta(hours=20),
                   mean_service, False)
    if rng.random() < p.unfair_rate:
        _complaint(rng, world, a, oid, owner, "direct", closed + timedelta(hours=30),
                   mean_service, True)


def _complaint(rng: np.random.Generator, world: World, a: TrueAgent, oid: int, owner: int,
               source: str, opened: datetime, service: float, unfair: bool) -> None:
    rows = world.rows
    cid = len(rows["complaints"]) + 1
    deadline = opened + timedelta(hours=24)
    h = a.handling
    acked: datetime | None = opened + timedelta(hours=float(rng.uniform(0.5, 20)))
    if rng.random() > _sigmoid(1.2 + 1.2 * h):
        acked = opened + timedelta(hours=30) if rng.random() < 0.8 else None
    resolved = opened + timedelta(hours=48) if rng.random() < _sigmoid(1.5 + 1.0 * h) else None
    satisfied = None
    if resolved is not None and rng.random() < 0.6:
        satisfied = int(rng.random() < _sigmoid(0.5 + 1.2 * h + 0.8 * (service - 4.0)))
    voided = unfair and rng.random() < world.params.appeal_void
    survey = oid if source == "low_rating" else None
    rows["complaints"].append((
        cid, source, survey, oid, owner, a.agent_id, "closed_satisfied", _ts(opened),
        _ts(deadline), _ts(acked) if acked else None, _ts(resolved) if resolved else None,
        satisfied, int(voided), "[]", "{}", 0,
    ))
    if unfair:
        decided = opened + timedelta(days=2)
        rows["appeals"].append((len(rows["appeals"]) + 1, a.agent_id, cid, "unfair",
                                "voided" if voided else "upheld", _ts(opened),
                                _ts(decided)))


INSERTS = {
    "orders": "INSERT INTO work_order (id, external_id, community_id, owner_id, agent_id, kind, "
              "urgency, title, opened_at, closed_at, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    "surveys": "INSERT INTO survey (id, work_order_id, owner_id, agent_id, status, created_at, "
               "sent_at) VALUES (?,?,?,?,?,?,?)",
    "responses": "INSERT INTO response (id, survey_id, overall, attitude, clarity, timeliness, "
                 "voided, created_at, updated_at, submitted_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
    "complaints": "INSERT INTO complaint (id, source, survey_id, work_order_id, owner_id, "
                  "agent_id, status, opened_at, ack_deadline, acknowledged_at, resolved_at, "
                  "satisfied, voided, tags, evidence, urgent) "
                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "appeals": "INSERT INTO appeal (id, agent_id, complaint_id, reason, status, created_at, "
               "decided_at) VALUES (?,?,?,?,?,?,?)",
}


def people_rows(world: World) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Return the rows of the community, the agents and the owners."""
    now = "2025-12-01 00:00:00.000000"
    return [
        ("INSERT INTO community (id, code, name, created_at) VALUES (?,?,?,?)",
         [(1, "SIM", "模拟小区", now)]),
        ("INSERT INTO agent (id, external_id, community_id, name, active, created_at) "
         "VALUES (?,?,?,?,?,?)",
         [(a.agent_id, f"SIM-{a.agent_id:03d}", 1, f"客服{a.agent_id:03d}", 1, now)
          for a in world.agents]),
        ("INSERT INTO owner (id, community_id, name, opted_out, created_at) VALUES (?,?,?,?,?)",
         [(o, 1, f"业主{o}", 0, now) for o in range(1, 2001)]),
    ]
