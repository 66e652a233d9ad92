"""Plain-text rendering of the team and agent reports, for chat and the CLI.

Tables are aligned by display width (a Chinese character takes two columns); numbers are
formatted for the locale with Babel. Chat callers wrap the text in <pre> (or a code block)
so the columns stay aligned in a monospaced font.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render.cycle_lines import agent_lines, status_lines, team_lines
from bot.render.numbers import DASH, num, pct, pct1, penalty, rate, signed
from bot.render.revisit_rates import own_revisit_pairs, revisit_lines
from bot.render.timeliness import timeliness_lines
from scoring.periods import Period
from scoring.points.model import AgentPoints
from scoring.questions import QUESTIONS
from surveys.assessment.detail import Breakdown, ComplaintItem
from surveys.assessment.reports import AgentReport, TeamReport

# Where responses were given (surveys.models.ResponseChannel); staff-entered ones come later.
CHANNEL_NAMES = {"chat": N_("Telegram"), "web": N_("web page"), "phone": N_("phone 回访"),
                 "visit": N_("visit 回访")}

GRADE_LABELS = {
    "excellent": N_("Excellent"),
    "pass": N_("Pass"),
    "needs_improvement": N_("Needs improvement"),
}
# An appeal's stored state (surveys.models.AppealStatus) as the breakdown shows it.
APPEAL_STATES = {"pending": N_("awaiting a decision"),
                 "upheld": N_("upheld: the record stands"),
                 "voided": N_("voided: no longer counts")}
QUESTION_LABELS = {
    "overall": N_("Overall"),
    "attitude": N_("Attitude"),
    "clarity": N_("Clarity"),
    "timeliness": N_("Timeliness"),
}


def width(text: str) -> int:
    """Return the display width of text in a monospaced font."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    """Align columns by display width; columns in `right` are right-aligned."""
    widths = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - width(cell))
            cells.append(pad + cell if i in right else cell + pad)
        lines.append("  ".join(cells).rstrip())
    return lines


def grade_label(tr: Translator, grade: str | None) -> str:
    """Return the grade in the reader's language."""
    return tr._(GRADE_LABELS[grade]) if grade in GRADE_LABELS else DASH


def period_text(tr: Translator, period: Period) -> str:
    """Describe a period: its label and its first and last day."""
    return tr._(
        "{label} ({first} to {last})",
        label=period.label,
        first=period.first_day.isoformat(),
        last=period.last_day.isoformat(),
    )


def _local(dt: datetime | None, period: Period) -> str:
    if dt is None:
        return DASH
    local = dt.replace(tzinfo=UTC).astimezone(ZoneInfo(period.timezone))
    return local.strftime("%m-%d %H:%M")


def render_team_report(report: TeamReport, tr: Translator) -> str:
    """Render the ranking of a team for one period as an aligned table."""
    scope = report.community.name if report.community else tr._("all communities")
    lines = [
        tr._("Agent assessment, {period}, {scope}", period=period_text(tr, report.period),
             scope=scope),
        *status_lines(tr, report.status, report.period.timezone),
        "",
    ]
    if not report.rows:
        lines.append(tr._("No closed work orders, surveys or complaints in this period."))
        return "\n".join(lines)
    return "\n".join([*lines, *_ranking(report, tr), "", *_team_footer(report, tr)])


def _ranking(report: TeamReport, tr: Translator) -> list[str]:
    """Lay out one row per agent: rank, total, grade and the figures behind them."""
    header = [
        tr._("Rank"), tr._("Agent"), tr._("Total"), tr._("Grade"), tr._("Satisfaction"),
        tr._("Adjusted"), tr._("Handling quality"), tr._("Frequency penalty"),
        tr._("Response rate"), tr._("CSAT"), tr._("Closed"), tr._("Coef."), tr._("Change"),
    ]
    rows = []
    for r in report.rows:
        previous = report.previous_totals.get(r.agent_id)
        change = r.total - previous if r.total is not None and previous is not None else None
        rows.append([
            str(r.rank) if r.rank is not None else DASH,
            r.name or r.external_id,
            num(tr, r.total),
            grade_label(tr, r.grade),
            num(tr, r.satisfaction_raw),
            num(tr, r.satisfaction),
            num(tr, r.handling_quality),
            penalty(tr, r.frequency_penalty),
            pct(tr, r.response_rate),
            pct(tr, r.csat),
            num(tr, r.closed_orders, 0),
            num(tr, r.workload_coefficient, 2),
            signed(tr, change),
        ])
    return table(header, rows, right={0, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12})


def _team_footer(report: TeamReport, tr: Translator) -> list[str]:
    """Return the team's figures and the notes under the ranking."""
    t = report.team
    return [
        tr._(
            "Team: agents {agents}, surveys sent {sent}, responses {responses}, "
            "complaints {complaints}; mean closed orders {load}.",
            agents=t.agents, sent=t.surveys_sent, responses=t.responses,
            complaints=t.complaints, load=num(tr, t.mean_closed_orders),
        ),
        *_channel_line(tr, report.channels),
        *revisit_lines(tr, report.revisits,
                       {r.agent_id: r.name or r.external_id for r in report.rows}),
        tr._("Satisfaction is raw; Adjusted is shrunk toward the team mean for small samples."),
        tr._("Complaint points = handling quality − frequency penalty (team complaint rate "
             "{rate}).", rate=pct1(tr, t.complaint_rate)),
        *team_lines(tr, report),
        *timeliness_lines(tr, report.timeliness, report.rows),
    ]


def _channel_line(tr: Translator, channels: dict[str, int]) -> list[str]:
    """Return the split of the responses by channel (empty without responses)."""
    if not any(channels.values()):
        return []
    parts = [tr._("{channel} {n}", channel=tr._(CHANNEL_NAMES.get(name, name)), n=n)
             for name, n in sorted(channels.items(), key=lambda item: (-item[1], item[0]))]
    return [tr._("Responses by channel: {parts}.", parts=" · ".join(parts))]


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
    lines = [
        tr._("Closed work orders: {ids}",
             ids=_ids(tr, [wo.get(i, str(i)) for i in bd.closed_work_order_ids], limit)),
        "",
        tr._("Responses"),
    ]
    if bd.responses:
        header = [tr._("Response"), tr._("Work order"), *(tr._(QUESTION_LABELS[q]) for q in
                  QUESTIONS), tr._("Counted")]
        shown = bd.responses if limit is None else bd.responses[:limit]
        rows = [
            [f"#{r.response_id}", wo.get(r.work_order_id, str(r.work_order_id)),
             *(str(r.ratings.get(q) or DASH) for q in QUESTIONS),
             tr._("voided on appeal") if r.voided else _yes_no(tr, r.counted, DASH)]
            for r in shown
        ]
        lines += table(header, rows, right={2, 3, 4, 5})
        if limit is not None and len(bd.responses) > limit:
            lines.append(f"… (+{len(bd.responses) - limit})")
    else:
        lines.append(DASH)
    lines += ["", tr._("Complaints")]
    if bd.complaints:
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
        lines += table(header, rows, right=set())
    else:
        lines.append(DASH)
    if bd.appeals:
        lines += ["", tr._("Appeals")]
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
