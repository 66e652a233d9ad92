"""`/how [period]`: how the points are computed, in plain words, with the weights in force
for that period (the version a closed period was closed with)."""

from __future__ import annotations

from bot.i18n import N_, Translator
from bot.render.numbers import num
from scoring.periods import Period
from scoring.points.config import PointsConfig
from surveys.assessment.periods import PeriodStatus

CRITERIA = {"knowledge": N_("business knowledge"), "communication": N_("communication skills"),
            "teamwork": N_("teamwork")}


def criterion_label(tr: Translator, code: str) -> str:
    """Return the reader's name of a review criterion (a custom code shows as itself)."""
    return tr._(CRITERIA[code]) if code in CRITERIA else code


def _pct(value: float) -> str:
    return f"{value * 100:g}"


def explain(tr: Translator, period: Period, c: PointsConfig, version_id: int,
            st: PeriodStatus, *, agent: bool = True) -> str:
    """Explain the points of one period.

    `agent`: the reader has figures of their own (/me), else they are a manager who reads
    agents' (/agent, /report).
    """
    s, h, f, r = c.satisfaction, c.complaint_handling, c.complaint_frequency, c.review
    state = tr._("final") if st.final else tr._("provisional")
    return "\n".join([
        tr._("How points are computed for {label} ({state}; weights version {version}):",
             label=period.label, state=state, version=version_id),
        "",
        tr._("1. Satisfaction, from owners' stars: each question's mean stars become 0–100 "
             "((stars − 1) ÷ 4 × 100); with few ratings the score is pulled toward the team "
             "mean as if {k} more ratings at the team mean had been given. Weights: overall "
             "{o} %, attitude {a} %, clarity {c} %, timeliness {t} %.",
             k=num(tr, c.shrinkage_k, 0), o=_pct(s.overall), a=_pct(s.attitude),
             c=_pct(s.clarity), t=_pct(s.timeliness)),
        tr._("2. Complaint points = handling quality − frequency penalty. Handling quality: "
             "acknowledged on time {ack} %, resolved {res} %, owner satisfied at the follow-up "
             "{sat} %; each share starts as if {prior} complaints had been handled perfectly; "
             "no complaint = 100. Frequency penalty: your complaint rate, pulled toward the "
             "team's as if you had {k} more orders at the team rate, compared with the team "
             "rate: {per} points per percentage point above it, at most {cap}. Complaints "
             "voided on appeal do not count.", ack=_pct(h.acknowledged_on_time),
             res=_pct(h.resolved), sat=_pct(h.follow_up_satisfied),
             prior=num(tr, h.prior_complaints, 0), k=num(tr, f.shrinkage_orders, 0),
             per=num(tr, f.penalty_per_point, 0), cap=num(tr, f.cap, 0)),
        tr._("3. Multi-source review, when given: stars for {criteria}; managers {m} %, peers "
             "{p} %, self {s} % of the total. A missing review is left out (the other parts "
             "count in full), never counted as 0.",
             criteria=tr._(", ").join(criterion_label(tr, x) for x in r.criteria),
             m=_pct(r.manager_weight), p=_pct(r.peer_weight), s=_pct(r.self_weight)),
        tr._("4. Total = {ws} % satisfaction + {wc} % complaint points (less the review "
             "weight when there is a review), × the workload coefficient (above the team's "
             "mean load: 1 + {slope} × the excess share, at most × {cap}), plus late "
             "adjustments of closed periods; 0–100.",
             ws=_pct(c.total_satisfaction_weight), wc=_pct(1 - c.total_satisfaction_weight),
             slope=num(tr, c.workload_slope, 2), cap=num(tr, c.workload_cap, 2)),
        tr._("5. Grades: {ex} or more Excellent, {ps} or more Pass, below Needs improvement; "
             "bonus coefficients {be} / {bp} / {bn}.", ex=num(tr, c.grade_excellent, 0),
             ps=num(tr, c.grade_pass, 0), be=num(tr, c.payroll.excellent, 2),
             bp=num(tr, c.payroll.qualified, 2), bn=num(tr, c.payroll.needs_improvement, 2)),
        "",
        tr._("Your own figures and the records behind each: /me {label}.", label=period.label)
        if agent else
        tr._("An agent's figures and the records behind each: /agent NAME {label}; the "
             "team's: /report {label}.", label=period.label),
    ])
