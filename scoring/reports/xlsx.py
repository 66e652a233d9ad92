"""The XLSX workbook of a period: summary, one sheet per agent, raw responses (phones
masked), complaints. Numbers are stored unrounded (cells format them), so the workbook's
totals are exactly the points model's.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font

from scoring.questions import QUESTIONS
from scoring.reports.agent_sheet import GRADE_NAMES, agent_sheet
from scoring.reports.cells import display_width, sheet_title
from scoring.reports.export import CHANNEL_NAMES, Export, ResponseRow
from scoring.reports.groups import Breakdowns, GroupRow
from scoring.reports.labels import N_, SOURCE_LABELS, STATUS_LABELS, label, tags_label
from scoring.reports.sheets import append_row, header_row, number_formats
from scoring.revisits import COMPLAINT_TARGET
from scoring.timeliness import Norm, TimesFigures, group_label

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet


Gettext = Callable[[str], str]
DISMISSED = "not a complaint (corrected)"  # a complaint a tag correction dismissed
AFTER_CLOSE = N_("submitted after the close: in a later period's adjustment")
NOT_COUNTED = N_("no (voided on appeal)")
# Every part of the total stands before it, so a row explains its total (agent_sheet.py).
SUMMARY_HEADER = ("Rank", "Agent", "Staff id", "Surveys sent", "Responses", "Response rate",
                  "Overall (adjusted)", "Attitude (adjusted)", "Clarity (adjusted)",
                  "Timeliness (adjusted)", "Satisfaction (raw)",
                  "Satisfaction (adjusted)", "Handling quality", "Frequency penalty",
                  "Complaint points", "Complaints", "Closed orders", "Workload coefficient",
                  "Manager review", "Late adjustment", "Total", "Grade")
TOTAL_COLUMN = SUMMARY_HEADER.index("Total") + 1


def _fit_columns(ws: Worksheet) -> None:
    """Make every column as wide as its longest text (a Chinese character counts two)."""
    widths: dict[str, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                shown = _shown_width(cell.value, cell.number_format)
                widths[cell.column_letter] = max(widths.get(cell.column_letter, 0), shown)
    for letter, needed in widths.items():
        ws.column_dimensions[letter].width = max(8, min(60, needed + 2))


def _shown_width(value: object, number_format: str) -> int:
    if isinstance(value, datetime):
        return len(number_format) if number_format != "General" else 19
    if isinstance(value, float):
        return 10  # formatted: 0.0, 0%, 0.00
    return display_width(str(value))


def _local(dt: datetime | None, timezone: str) -> datetime | None:
    if dt is None:
        return None

    return dt.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


def _summary(wb: Workbook, data: Export, _: Gettext, used: set[str]) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = sheet_title(_("Summary"), used)
    report = data.team
    scope = report.community.name if report.community else _("all communities")
    append_row(ws, [_("Agent assessment"), report.period.label, scope])
    ws["A1"].font = Font(bold=True, size=14)
    header_row(ws, [_(h) for h in SUMMARY_HEADER], row=2)
    for r in report.rows:
        append_row(ws, [
            r.rank, r.name, r.external_id, r.surveys_sent, r.responses, r.response_rate,
            *(r.dimensions[q].adjusted for q in QUESTIONS), r.satisfaction_raw,
            r.satisfaction, r.handling_quality, r.frequency_penalty, r.handling,
            r.complaints, r.closed_orders, r.workload_coefficient, r.reviews.get("manager"),
            r.adjustment, r.total, _(GRADE_NAMES[r.grade]) if r.grade else None,
        ])
    fmt = {6: "0%", **{c: "0.0" for c in (7, 8, 9, 10, 11, 12, 13, 14, 15, 19, 21)},
           18: "0.00", 20: "+0.0;-0.0;0.0"}
    number_formats(ws, 3, fmt)


def _channels(wb: Workbook, data: Export, _: Gettext, title: str) -> None:
    """Add the sheet of counted responses per channel, as the report counts them."""
    ws = wb.create_sheet(title)
    header_row(ws, [_("Channel"), _("Responses")])
    for channel, n in sorted(data.team.channels.items(), key=lambda item: (-item[1], item[0])):
        append_row(ws, [_(CHANNEL_NAMES.get(channel, channel)), n])


def _timeliness(wb: Workbook, data: Export, _: Gettext, title: str) -> None:
    """Add the sheet of response and resolution times beside the owners' timeliness stars."""
    report = data.team.timeliness
    ws = wb.create_sheet(title)
    norm = report.norm if report else Norm()
    header_row(ws, [_("Group"), _("Orders"), _("With a first action"), _("Response p50 (h)"),
                 _("Response p90 (h)"), _("Resolution p50 (h)"), _("Resolution p90 (h)"),
                 _("Urgent orders"),
                 _("Urgent: responded within {hours} h").format(
                     hours=f"{norm.urgent_response_hours:g}"),
                 _("Urgent: resolved within {hours} h").format(
                     hours=f"{norm.urgent_resolution_hours:g}"),
                 _("Owners' timeliness stars")])
    if report is None:
        return
    agents = {p.agent_id: p for p in data.team.rows}
    groups: list[tuple[str, TimesFigures, float | None]] = [(_("Team"), report.team, None)]
    for agent_id, figures in sorted(report.by_agent.items()):
        p = agents.get(agent_id)
        stars = p.dimensions["timeliness"].mean_rating if p and "timeliness" in p.dimensions \
            else None
        groups.append((p.name or p.external_id if p else f"#{agent_id}", figures, stars))
    for code, figures in sorted(report.by_group.items()):
        groups.append((_(group_label(code)), figures, None))
    for name, f, stars in groups:
        append_row(ws, [name, f.orders, f.responded, f.response_p50, f.response_p90,
                     f.resolution_p50, f.resolution_p90, f.urgent, f.urgent_response_within,
                     f.urgent_resolution_within, stars])
    number_formats(ws, 2, {4: "0.0", 5: "0.0", 6: "0.0", 7: "0.0", 9: "0%", 10: "0%", 11: "0.00"})


def _revisits(wb: Workbook, data: Export, _: Gettext, title: str) -> None:
    """Add the 回访率 sheet: per community and per agent, complaint orders against 100 %."""
    rates = data.team.revisits
    ws = wb.create_sheet(title)
    header_row(ws, [_("Scope"), _("Name"), _("Closed orders"), _("Answered (any channel)"),
                 _("回访 rate"), _("Complaint orders"), _("Complaint orders answered"),
                 _("Complaint 回访 rate"), _("Target")])
    if rates is None:
        return
    names = {r.agent_id: r.name or r.external_id for r in data.team.rows}
    lines = [(_("Community"), name, rate) for name, rate in sorted(rates.communities.items())]
    lines += [(_("Agent"), names.get(agent_id, str(agent_id)), rate)
              for agent_id, rate in sorted(rates.agents.items(),
                                           key=lambda item: names.get(item[0], ""))]
    for scope, name, rate in lines:
        append_row(ws, [scope, name, rate.closed, rate.answered, rate.rate, rate.complaint_closed,
                     rate.complaint_answered, rate.complaint_rate, COMPLAINT_TARGET])
    number_formats(ws, 2, {5: "0.0%", 8: "0.0%", 9: "0%"})


def _counted(r: ResponseRow) -> str:
    if r.after_close:
        return AFTER_CLOSE
    return "yes" if r.counted else NOT_COUNTED


def _responses(wb: Workbook, data: Export, _: Gettext, tz: str, title: str) -> None:
    ws = wb.create_sheet(title)
    header_row(ws, [_(h) for h in ("Response", "Work order", "Agent", "Owner", "Phone",
                                "Overall", "Attitude", "Clarity", "Timeliness", "Comment",
                                "Sent", "Submitted", "Voided on appeal", "Channel",
                                "Counted")])
    for r in data.responses:
        append_row(ws, [r.response_id, r.work_order, r.agent, r.owner, r.phone,
                   *(r.ratings.get(q) for q in QUESTIONS), r.comment,
                   _local(r.sent_at, tz), _local(r.submitted_at, tz),
                   _("yes") if r.voided else _("no"),
                   _(CHANNEL_NAMES.get(r.channel, r.channel)), _(_counted(r))])
    number_formats(ws, 2, {11: "yyyy-mm-dd hh:mm", 12: "yyyy-mm-dd hh:mm"})


def _complaints(wb: Workbook, data: Export, _: Gettext, tz: str, title: str) -> None:
    ws = wb.create_sheet(title)
    header_row(ws, [_(h) for h in ("Complaint", "Work order", "Agent", "Owner", "Phone", "Source",
                                "Status", "The owner's words", "Tags", "Urgent", "Opened",
                                "Deadline", "Acknowledged", "Resolved", "Satisfied",
                                "Voided on appeal")])
    yes, no = _("yes"), _("no")
    for c in data.complaints:
        append_row(ws, [c.complaint_id, c.work_order, c.agent, c.owner, c.phone,
                   label(SOURCE_LABELS, c.source, _), label(STATUS_LABELS, c.status, _),
                   c.text, tags_label(c.tags, _), yes if c.urgent else no,
                   _local(c.opened_at, tz), _local(c.ack_deadline, tz),
                   _local(c.acknowledged_at, tz), _local(c.resolved_at, tz),
                   None if c.satisfied is None else (yes if c.satisfied else no),
                   _(DISMISSED) if c.status == "dismissed" else yes if c.voided else no])
    number_formats(ws, 2, {i: "yyyy-mm-dd hh:mm" for i in (11, 12, 13, 14)})


GROUP_HEADER = (N_("Orders"), N_("Repeats"), N_("Repeat rate"), N_("Complaints"),
                N_("Complaint rate"), N_("Responses"), N_("Mean overall"))


def _groups(wb: Workbook, rows: Iterable[GroupRow], first: str, title: str, _: Gettext,
            name: Callable[[str], str]) -> None:
    """Add a sheet of work orders grouped by category or building."""
    ws = wb.create_sheet(title)
    header_row(ws, [first, *(_(h) for h in GROUP_HEADER)])
    for r in rows:
        append_row(ws, [name(r.key), r.orders, r.repeats, r.repeat_rate, r.complaints,
                     r.complaint_rate, r.responses, r.mean_overall])
    number_formats(ws, 2, {4: "0%", 6: "0%", 8: "0.00"})


def _matrix(wb: Workbook, groups: Breakdowns, _: Gettext, title: str,
            name: Callable[[str], str]) -> None:
    """Add the sheet of complaints per building (rows) and category (columns)."""
    buildings, categories, counts = groups.matrix()
    ws = wb.create_sheet(title)
    header_row(ws, [_("Building"), *(name(c) for c in categories)])
    for building, row in zip(buildings, counts, strict=True):
        append_row(ws, [building or "—", *row])


def build_workbook(data: Export, gettext: Gettext | None = None, *,
                   groups: Breakdowns | None = None,
                   category_name: Callable[[str], str] | None = None) -> bytes:
    """Return the XLSX file of the period as bytes.

    With `groups`: views by category and building; `category_name` gives a category code's
    label.
    """
    _ = gettext or (lambda text: text)
    tz = data.team.period.timezone
    wb = Workbook()
    used: set[str] = set()
    _summary(wb, data, _, used)
    responses = sheet_title(_("Raw responses"), used)
    complaints = sheet_title(_("Complaints"), used)
    channels = sheet_title(_("Responses by channel"), used)
    times = sheet_title(_("Timeliness"), used)
    revisits = sheet_title(_("回访 rate"), used)
    for report in data.agents:
        agent_sheet(wb, report, _, used)
    _responses(wb, data, _, tz, responses)
    _complaints(wb, data, _, tz, complaints)
    _channels(wb, data, _, channels)
    _timeliness(wb, data, _, times)
    _revisits(wb, data, _, revisits)
    if groups is not None:
        label = category_name or (lambda code: code)
        _groups(wb, groups.by_category, _("Category"), sheet_title(_("By category"), used), _,
                lambda code: label(code) if code else "—")
        _groups(wb, groups.by_building, _("Building"), sheet_title(_("By building"), used), _,
                lambda building: building or "—")
        _matrix(wb, groups, _, sheet_title(_("Complaints by building and category"), used),
                lambda code: label(code) if code else "—")
    for ws in wb.worksheets:
        _fit_columns(ws)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
