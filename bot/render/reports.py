"""Plain-text rendering of the team report, and the tables both reports use.

Tables are aligned by display width (a Chinese character takes two columns); numbers are
formatted for the locale with Babel. Chat callers wrap the text in <pre> (or a code block)
so the columns stay aligned in a monospaced font.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from bot.i18n import N_, Translator
from bot.render.cycle_lines import status_lines, team_lines
from bot.render.numbers import DASH, num, pct, pct1, penalty, signed
from bot.render.revisit_rates import revisit_lines
from bot.render.timeliness import timeliness_lines
from scoring.periods import Period
from surveys.assessment.reports import TeamReport

# Where responses were given (surveys.models.ResponseChannel); staff-entered ones come later.
CHANNEL_NAMES = {"chat": N_("Telegram"), "web": N_("web page"), "phone": N_("phone 回访"),
                 "visit": N_("visit 回访")}

GRADE_LABELS = {
    "excellent": N_("Excellent"),
    "pass": N_("Pass"),
    "needs_improvement": N_("Needs improvement"),
}
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
