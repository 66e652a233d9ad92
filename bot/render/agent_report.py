"""Plain-text rendering of one agent's report: the summary, each question, every record.

The tables come from `bot.render.reports`; chat callers wrap the text in <pre>.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render.cycle_lines import agent_lines, status_lines
from bot.render.numbers import DASH, num, pct, pct1, rate, signed
from bot.render.reports import QUESTION_LABELS, grade_label, period_text, table
from bot.render.revisit_rates import own_revisit_pairs
from scoring.periods import Period
from scoring.points.model import AgentPoints
from scoring.questions import QUESTIONS
from surveys.assessment.detail import Breakdown, ComplaintItem
from surveys.assessment.reports import AgentReport

# An appeal's stored state (surveys.models.AppealStatus) as the breakdown shows it.
APPEAL_STATES = {"pending": N_("awaiting a decision"),
                 "upheld": N_("upheld: the record stands"),
                 "voided": N_("voided: no longer counts")}


def _local(dt: datetime | None, period: Period) -> str:
    if dt is None:
        return DASH
    local = dt.replace(tzinfo=UTC).astimezone(ZoneInfo(period.timezone))
    return local.strftime("%m-%d %H:%M")


def _summary(tr: Translator, p: AgentPoints, report: AgentReport) -> list[str]:
    rank = (
        tr._("{rank} of {size}", rank=p.rank, size=report.team_size)
        if p.rank is not None else DASH
    )
    previous = report.previous.total if report.previous else None
    pairs = [
        (tr._("Total"), num(tr, p.total)),
        (tr._("Grade"), grade_label(tr, p.grade)),
        (tr._("Rank"), rank),
        (tr._("Previous period"), num(tr, previous)),
        (tr._("Change"), signed(tr, report.change)),
        (tr._("Satisfaction (raw / adjusted)"),
         f"{num(tr, p.satisfaction_raw)} / {num(tr, p.satisfaction)}"),
        (tr._("Complaint points (quality − penalty)"),
         f"{num(tr, p.handling)} = {num(tr, p.handling_quality)} − "
         f"{num(tr, p.frequency_penalty)}"
         + (f" − {num(tr, p.repeat_penalty)}" if p.repeat_penalty else "")),
        *([(tr._("Repeat penalty (orders that came back)"),
            f"{num(tr, p.repeat_penalty)} ({p.repeats})")] if p.repeat_penalty else []),
        (tr._("Surveys sent / responses"), f"{p.surveys_sent} / {p.responses}"),
        (tr._("Response rate"), pct(tr, p.response_rate)),
        (tr._("CSAT (overall 4–5 stars)"), pct(tr, p.csat)),
        (tr._("Closed orders (team mean)"),
         f"{p.closed_orders} ({num(tr, report.team.mean_closed_orders)})"),
        (tr._("Workload coefficient"), "×" + num(tr, p.workload_coefficient, 2)),
        (tr._("Complaints (voided)"), f"{p.complaints} ({p.voided_complaints})"),
        (tr._("Complaint rate (shrunk / team)"),
         f"{pct1(tr, rate(p))} ({pct1(tr, p.shrunken_complaint_rate)} / "
         f"{pct1(tr, p.team_complaint_rate)})"),
        (tr._("Acknowledged on time"), pct(tr, p.ack_on_time_rate)),
        (tr._("Resolved"), pct(tr, p.resolution_rate)),
        (tr._("Follow-ups satisfied"), pct(tr, p.follow_up_satisfaction_rate)),
        *own_revisit_pairs(tr, report.revisit),
    ]
    return table(["", ""], [[k, v] for k, v in pairs], right=set())[1:]


def _dimensions(tr: Translator, p: AgentPoints) -> list[str]:
    header = [tr._("Question"), tr._("Ratings"), tr._("Mean"), tr._("Score"),
              tr._("Adjusted"), tr._("Team"), tr._("CSAT")]
    rows = [
        [
            tr._(QUESTION_LABELS[q]), str(d.n), num(tr, d.mean_rating, 2), num(tr, d.raw),
            num(tr, d.adjusted), num(tr, d.team_mean), pct(tr, d.csat),
        ]
        for q in QUESTIONS
        for d in [p.dimensions[q]]
    ]
    return table(header, rows, right={1, 2, 3, 4, 5, 6})


def _ids(tr: Translator, values: Sequence[str], limit: int | None) -> str:
    if not values:
        return DASH
    sep = tr._(", ")  # 、 in Chinese
    if limit is not None and len(values) > limit:
        return sep.join(values[:limit]) + f"{sep}… (+{len(values) - limit})"
    return sep.join(values)


def _complaint_counted(tr: Translator, c: ComplaintItem) -> str:
    if c.status == "dismissed":
        return tr._("not a complaint (corrected)")
    return tr._("voided on appeal") if c.voided else tr._("yes")


def _yes_no(tr: Translator, value: bool | None, unknown: str) -> str:
    if value is None:
        return unknown
    return tr._("yes") if value else tr._("no")


def _breakdown(
    tr: Translator, bd: Breakdown, period: Period, limit: int | None
) -> list[str]:
    wo = bd.work_orders
    return [
        tr._("Closed work orders: {ids}",
             ids=_ids(tr, [wo.get(i, str(i)) for i in bd.closed_work_order_ids], limit)),
        "",
        tr._("Responses"),
        *_response_lines(tr, bd, limit),
        "",
        tr._("Complaints"),
        *_complaint_lines(tr, bd, period),
        *_appeal_lines(tr, bd, period),
    ]


def _response_lines(tr: Translator, bd: Breakdown, limit: int | None) -> list[str]:
    """Lay out the agent's responses: ratings, and whether each counted (at most `limit`)."""
    if not bd.responses:
        return [DASH]
    wo = bd.work_orders
    header = [tr._("Response"), tr._("Work order"), *(tr._(QUESTION_LABELS[q]) for q in
              QUESTIONS), tr._("Counted")]
    shown = bd.responses if limit is None else bd.responses[:limit]
    rows = [
        [f"#{r.response_id}", wo.get(r.work_order_id, str(r.work_order_id)),
         *(str(r.ratings.get(q) or DASH) for q in QUESTIONS),
         tr._("voided on appeal") if r.voided else _yes_no(tr, r.counted, DASH)]
        for r in shown
    ]
    lines = table(header, rows, right={2, 3, 4, 5})
    if limit is not None and len(bd.responses) > limit:
        lines.append(f"… (+{len(bd.responses) - limit})")
    return lines


def _complaint_lines(tr: Translator, bd: Breakdown, period: Period) -> list[str]:
    """Lay out the agent's complaints: opened, on time, resolved, satisfied, counted."""
    if not bd.complaints:
        return [DASH]
    wo = bd.work_orders
    header = [tr._("Complaint"), tr._("Work order"), tr._("Opened"),
              tr._("Acknowledged on time"), tr._("Resolved"), tr._("Satisfied"),
              tr._("Counted")]
    rows = [
        [f"#{c.complaint_id}",
         wo.get(c.work_order_id, str(c.work_order_id)) if c.work_order_id else DASH,
         _local(c.opened_at, period),
         _yes_no(tr, c.ack_on_time, tr._("not due yet")),
         _yes_no(tr, c.resolved, DASH),
         _yes_no(tr, c.satisfied, tr._("not answered")),
         _complaint_counted(tr, c)]
        for c in bd.complaints
    ]
    return table(header, rows, right=set())


def _appeal_lines(tr: Translator, bd: Breakdown, period: Period) -> list[str]:
    """List the agent's appeals with their state (nothing when there are none)."""
    if not bd.appeals:
        return []
    lines = ["", tr._("Appeals")]
    for a in bd.appeals:
        target = (
            tr._("complaint #{id}", id=a.complaint_id) if a.complaint_id
            else tr._("response #{id}", id=a.response_id)
        )
        state = tr._(APPEAL_STATES[a.status]) if a.status in APPEAL_STATES else a.status
        lines.append(f"#{a.appeal_id}  {target}  {state}  {_local(a.decided_at, period)}")
    return lines


def render_agent_report(report: AgentReport, tr: Translator, *, limit: int | None = None) -> str:
    """Render one agent's points, the per-question table and every record behind them."""
    p = report.points
    lines = [
        tr._("Assessment of {name} ({external_id}), {period}", name=p.name,
             external_id=p.external_id, period=period_text(tr, report.period)),
        *status_lines(tr, report.status, report.period.timezone),
        "",
        *_summary(tr, p, report),
        *agent_lines(tr, report),
        "",
        *_dimensions(tr, p),
        "",
        *_breakdown(tr, report.breakdown, report.period, limit),
    ]
    return "\n".join(lines)
