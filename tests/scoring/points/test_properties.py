"""Properties of the whole points model (hypothesis, derandomised and bounded).

Teams are generated as records — each agent's responses (four ratings each), closed orders,
complaints with their handling outcome and reviews — and turned into the counts the model
reads, so every property speaks about records a person could check.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scoring.points.config import PointsConfig
from scoring.points.model import QUESTIONS, AgentStats, RatingStats, compute_team

CONFIG = PointsConfig()
BOUNDED = settings(max_examples=300, derandomize=True, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Outcome:
    """How one complaint was handled: ack True/False (None: not due yet), resolved, follow-up."""

    ack: bool | None
    resolved: bool
    satisfied: bool | None


PERFECT = Outcome(ack=True, resolved=True, satisfied=True)


@dataclass(frozen=True)
class Records:
    responses: tuple[tuple[int, int, int, int], ...]
    closed_orders: int
    complaints: tuple[Outcome, ...] = ()
    reviews: dict[str, tuple[int, ...]] = field(default_factory=dict)


def stats(agent_id: int, r: Records) -> AgentStats:
    """Count the records the way surveys.assessment.stats does."""
    ratings = {
        q: RatingStats(n=len(r.responses), total=sum(x[i] for x in r.responses),
                       csat=sum(1 for x in r.responses if x[i] >= 4))
        for i, q in enumerate(QUESTIONS)
    }
    c = r.complaints
    return AgentStats(
        agent_id=agent_id, surveys_sent=len(r.responses), responses=len(r.responses),
        ratings=ratings, closed_orders=r.closed_orders, complaints=len(c),
        ack_due=sum(1 for o in c if o.ack is not None),
        ack_on_time=sum(1 for o in c if o.ack),
        resolved=sum(1 for o in c if o.resolved),
        follow_ups_answered=sum(1 for o in c if o.satisfied is not None),
        follow_ups_satisfied=sum(1 for o in c if o.satisfied),
        reviews={src: RatingStats(n=len(v), total=sum(v)) for src, v in r.reviews.items()},
    )


def totals(team: list[Records], config: PointsConfig = CONFIG) -> dict[int, float | None]:
    _, rows = compute_team([stats(i, r) for i, r in enumerate(team)], config)
    return {p.agent_id: p.total for p in rows}


response = st.tuples(*(st.integers(1, 5) for _ in QUESTIONS))
outcome = st.builds(Outcome, ack=st.sampled_from([None, True, False]), resolved=st.booleans(),
                    satisfied=st.sampled_from([None, True, False]))
review = st.dictionaries(st.sampled_from(["manager", "peer", "self"]),
                         st.lists(st.integers(1, 5), min_size=1, max_size=6).map(tuple),
                         max_size=3)


@st.composite
def agent(draw: st.DrawFn, min_responses: int = 0) -> Records:
    responses = tuple(draw(st.lists(response, min_size=min_responses,
                                    max_size=max(min_responses, 12) + 8)))
    closed = draw(st.integers(len(responses), len(responses) + 60))
    return Records(responses=responses, closed_orders=closed,
                   complaints=tuple(draw(st.lists(outcome, max_size=6))), reviews=draw(review))


teams = st.lists(agent(), min_size=1, max_size=6)


@BOUNDED
@given(team=teams)
def test_every_total_and_part_stays_within_zero_and_one_hundred(team: list[Records]) -> None:
    _, rows = compute_team([stats(i, r) for i, r in enumerate(team)], CONFIG)
    for p in rows:
        assert p.total is None or 0.0 <= p.total <= 100.0
        assert 0.0 <= p.handling <= p.handling_quality <= 100.0
        assert 0.0 <= p.frequency_penalty <= CONFIG.complaint_frequency.cap


@BOUNDED
@given(team=teams, data=st.data())
def test_a_better_rating_never_lowers_anyone_s_total(team: list[Records],
                                                     data: st.DataObject) -> None:
    rated = [i for i, r in enumerate(team) if any(min(x) < 5 for x in r.responses)]
    if not rated:
        return
    i = data.draw(st.sampled_from(rated))
    j = data.draw(st.sampled_from([j for j, x in enumerate(team[i].responses) if min(x) < 5]))
    q = data.draw(st.sampled_from([q for q, v in enumerate(team[i].responses[j]) if v < 5]))
    better = list(team[i].responses[j])
    better[q] += 1
    responses = list(team[i].responses)
    responses[j] = (better[0], better[1], better[2], better[3])
    after_team = [*team[:i], replace(team[i], responses=tuple(responses)), *team[i + 1:]]
    before, after = totals(team), totals(after_team)
    for agent_id, total in before.items():
        if total is not None:
            assert after[agent_id] is not None
            assert after[agent_id] >= total - 1e-9


@BOUNDED
@given(team=teams, data=st.data(), overdue=st.booleans())
def test_an_extra_complaint_never_raises_the_agent_s_total(
    team: list[Records], data: st.DataObject, overdue: bool
) -> None:
    # As it arrives: not acknowledged (overdue or not yet due), not resolved, no follow-up.
    i = data.draw(st.integers(0, len(team) - 1))
    arriving = Outcome(ack=False if overdue else None, resolved=False, satisfied=None)
    after_team = [*team[:i], replace(team[i], complaints=(*team[i].complaints, arriving)),
                  *team[i + 1:]]
    before, after = totals(team)[i], totals(after_team)[i]
    if before is not None:
        assert after is not None and after <= before + 1e-9


@pytest.mark.slow
@BOUNDED
@given(team=teams, data=st.data())
def test_one_more_perfectly_handled_complaint_costs_at_most_the_cap(
    team: list[Records], data: st.DataObject
) -> None:
    i = data.draw(st.integers(0, len(team) - 1))
    after_team = [*team[:i], replace(team[i], complaints=(*team[i].complaints, PERFECT)),
                  *team[i + 1:]]
    before, after = totals(team)[i], totals(after_team)[i]
    if before is not None:
        assert after is not None
        assert before - after <= CONFIG.complaint_frequency.cap + 1e-9


def test_the_first_complaint_handled_perfectly_costs_at_most_the_cap_even_in_one_order() -> None:
    # The v1 rule gave −500 (complaint-handling points 0) for this agent.
    team = [Records(responses=((5, 5, 5, 5),), closed_orders=1),
            Records(responses=((4, 4, 4, 4),) * 20, closed_orders=40)]
    one = [replace(team[0], complaints=(PERFECT,)), team[1]]
    k20 = PointsConfig(complaint_frequency={"shrinkage_orders": 20, "cap": 20})
    _, rows = compute_team([stats(i, r) for i, r in enumerate(one)], k20)
    p = next(r for r in rows if r.agent_id == 0)
    # team rate 1/41; shrunken (1 + 20/41) / 21 = 0.0709; 5 × 4.65 points = 23.2 -> cap 20
    assert p.team_complaint_rate == 1 / 41
    assert abs(p.shrunken_complaint_rate - (1 + 20 / 41) / 21) < 1e-12
    assert (p.handling_quality, p.frequency_penalty, p.handling) == (100.0, 20.0, 80.0)
    assert totals(team, k20)[0] - p.total <= 20  # type: ignore[operator]


@BOUNDED
@given(team=st.lists(agent(), max_size=5), me=agent(min_responses=30), extra=response,
       first=st.booleans())
# The worst case by hand: 30 one-star responses, a colleague without ratings (so the team
# mean is the agent's own), a heavier load (×1.10), and a five-star response.
@pytest.mark.slow
@example(team=[Records(responses=(), closed_orders=10)],
         me=Records(responses=((1, 1, 1, 1),) * 30, closed_orders=100),
         extra=(5, 5, 5, 5), first=True)
def test_at_thirty_responses_one_more_moves_the_total_by_less_than_two_points(
    team: list[Records], me: Records, extra: tuple[int, int, int, int], first: bool
) -> None:
    # One more response to a survey of an order already closed (closed orders unchanged).
    whole = [me, *team] if first else [*team, me]
    i = 0 if first else len(team)
    more = replace(me, responses=(*me.responses, extra),
                   closed_orders=max(me.closed_orders, len(me.responses) + 1))
    base = replace(me, closed_orders=more.closed_orders)
    before_team = [*whole[:i], base, *whole[i + 1:]]
    after_team = [*whole[:i], more, *whole[i + 1:]]
    before, after = totals(before_team)[i], totals(after_team)[i]
    assert before is not None and after is not None
    assert abs(after - before) < 2.0
