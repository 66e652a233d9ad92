"""One agent's sheet of the workbook: every part of the total, each on its own line.

The total is explainable from the sheet alone: satisfaction and complaint points, the
workload coefficient, each review source present and each late adjustment carried in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from openpyxl.styles import Font

from scoring.questions import QUESTIONS
from scoring.reports.cells import sheet_title
from scoring.reports.export import AgentSheet
from scoring.reports.labels import N_
from scoring.reports.sheets import append_row, header_row, number_formats

if TYPE_CHECKING:
    from openpyxl import Workbook

Gettext = Callable[[str], str]
QUESTION_NAMES = {"overall": N_("Overall"), "attitude": N_("Attitude"),
                  "clarity": N_("Clarity"), "timeliness": N_("Timeliness")}
GRADE_NAMES = {"excellent": N_("Excellent"), "pass": N_("Pass"),
               "needs_improvement": N_("Needs improvement")}
# Review sources, in the order of the points model (`PointsConfig.review.weights()`).
REVIEW_NAMES = {"manager": N_("Manager review"), "peer": N_("Peer review"),
                "self": N_("Self review")}
SCORE, PCT, COUNT = "0.0", "0%", "0"
Line = tuple[str, object, str | None]


def _parts(report: AgentSheet, _: Gettext) -> list[Line]:
    p = report.points
    lines: list[Line] = [
        (_("Total"), p.total, SCORE),
        (_("Grade"), _(GRADE_NAMES[p.grade]) if p.grade else None, None),
        (_("Rank"), p.rank, COUNT),
        (_("Previous period"), report.previous.total if report.previous else None, SCORE),
        (_("Change"), report.change, "+0.0;-0.0;0.0"),
        (_("Satisfaction (raw)"), p.satisfaction_raw, SCORE),
        (_("Satisfaction (adjusted)"), p.satisfaction, SCORE),
        (_("Complaint points"), p.handling, SCORE),
        (_("Handling quality"), p.handling_quality, SCORE),
        (_("Frequency penalty"), p.frequency_penalty, SCORE),
    ]
    if p.repeat_penalty:
        lines.append((_("Repeat penalty"), p.repeat_penalty, SCORE))
    lines.append((_("Workload coefficient"), p.workload_coefficient, "0.00"))
    for source, name in REVIEW_NAMES.items():
        if source == "manager" or p.reviews.get(source) is not None:
            lines.append((_(name), p.reviews.get(source), SCORE))
    lines.append((_("Late adjustment"), p.adjustment, "+0.0;-0.0;0.0"))
    lines += [(_("Adjustment from {label}").format(label=a.source_label), a.delta,
               "+0.0;-0.0;0.0") for a in report.adjustments]
    return lines


def _counts(report: AgentSheet, _: Gettext) -> list[Line]:
    p = report.points
    return [
        (_("Complaint rate"),
         None if p.complaints_per_100 is None else p.complaints_per_100 / 100, "0.0%"),
        (_("Shrunken complaint rate"), p.shrunken_complaint_rate, "0.0%"),
        (_("Team complaint rate"), p.team_complaint_rate, "0.0%"),
        (_("Surveys sent"), p.surveys_sent, COUNT), (_("Responses"), p.responses, COUNT),
        (_("Response rate"), p.response_rate, PCT), (_("CSAT"), p.csat, PCT),
        (_("Closed orders"), p.closed_orders, COUNT),
        (_("Complaints"), p.complaints, COUNT),
        (_("Voided complaints"), p.voided_complaints, COUNT),
        (_("Acknowledged on time"), p.ack_on_time_rate, PCT),
        (_("Resolved"), p.resolution_rate, PCT),
        (_("Follow-ups satisfied"), p.follow_up_satisfaction_rate, PCT),
    ]


def agent_sheet(wb: Workbook, report: AgentSheet, _: Gettext, used: set[str]) -> None:
    """Add the sheet of one agent: the parts of the total, counts, then each question."""
    p = report.points
    ws = wb.create_sheet(sheet_title(p.name or p.external_id, used, fallback=_("Agent")))
    append_row(ws, [_("Agent"), p.name, p.external_id])
    ws["A1"].font = Font(bold=True, size=13)
    for name, value, number_format in [*_parts(report, _), *_counts(report, _)]:
        append_row(ws, [name, value])
        if number_format:
            ws.cell(row=ws.max_row, column=2).number_format = number_format
    append_row(ws, [])
    start = ws.max_row + 1
    header_row(ws, [_(h) for h in ("Question", "Ratings", "Mean", "Score", "Adjusted", "Team",
                                   "CSAT")], row=start)
    for q in QUESTIONS:
        d = p.dimensions[q]
        append_row(ws, [_(QUESTION_NAMES[q]), d.n, d.mean_rating, d.raw, d.adjusted,
                        d.team_mean, d.csat])
    number_formats(ws, start + 1, {3: "0.00", 4: "0.0", 5: "0.0", 6: "0.0", 7: "0%"})
    ws.freeze_panes = None
