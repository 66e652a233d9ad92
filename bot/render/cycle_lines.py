"""Lines every report shows about the 考核 cycle: provisional or final, late adjustment
lines, and the multi-source review part."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.i18n import N_, Translator
from bot.render.numbers import num, pct, signed
from scoring.points.model import AgentPoints
from scoring.points.targets import TargetResult
from surveys.assessment.periods import AdjustmentLine, PeriodStatus
from surveys.assessment.reports import AgentReport, TeamReport

SOURCES = {"manager": N_("manager"), "peer": N_("peers"), "self": N_("self")}


def local_day(dt: datetime | None, timezone: str) -> str:
    """Format a naive-UTC instant as the company's local date and time."""
    if dt is None:
        return "—"
    return dt.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def status_lines(tr: Translator, st: PeriodStatus | None, timezone: str) -> list[str]:
    """One line saying whether the figures are provisional or final."""
    if st is None or st.state == "live":
        return []
    if st.state == "closed":
        return [tr._("Final: closed by {name} on {when} (weights version {version}, formula "
                     "v{formula}); later changes appear as adjustments in the next period.",
                     name=st.closed_by, when=local_day(st.closed_at, timezone),
                     version=st.config_version_id, formula=st.formula_version)]
    if st.state == "open":
        return [tr._("Provisional: {label} is still open (weights version {version}).",
                     label=st.label, version=st.config_version_id)]
    if st.state == "review":
        return [tr._("Provisional: {label} is in review until {when}; appeal now if a record "
                     "is wrong.", label=st.label, when=local_day(st.review_until, timezone))]
    return [tr._("Provisional: the appeal window of {label} has ended; a manager can close "
                 "it with /close {label}.", label=st.label)]


def waiting_appeals(tr: Translator, n: int, label: str) -> str:
    """Word the note on a period's close about appeals still undecided."""
    return tr.n_("{n} appeal about {label} still waits for a decision (/appeals); decided "
                 "after the close, it becomes an adjustment in the next period.",
                 "{n} appeals about {label} still wait for a decision (/appeals); decided "
                 "after the close, they become adjustments in the next period.", n, label=label)


def adjustment_line(tr: Translator, line: AdjustmentLine) -> str:
    """One late correction, with the records behind it."""
    why = [tr._("appeal #{id} voided after the close", id=i) for i in line.appeals]
    why += [tr._("late response #{id}", id=i) for i in line.responses]
    why += [tr._("complaint #{id} handled after the close", id=i) for i in line.complaints]
    why += [tr._("work order {id} reported after the close", id=i) for i in line.work_orders]
    return tr._("Adjustment from {label}: {delta} ({why})", label=line.source_label,
                delta=signed(tr, line.delta), why="; ".join(why) or "—")


def review_text(tr: Translator, p: AgentPoints) -> str:
    """Word the review part: each source's 0–100 score and how many stars it holds."""
    parts = []
    for source, label in SOURCES.items():
        score = p.reviews.get(source)
        if score is not None:
            parts.append(tr.n_("{source} {score} ({n} star)", "{source} {score} ({n} stars)",
                               p.review_counts.get(source, 0), source=tr._(label),
                               score=num(tr, score)))
    return "; ".join(parts) or tr._("none yet (the other parts count in full)")


TARGET_LABELS = {"ack_on_time": N_("complaints acknowledged in time"),
                 "resolved": N_("complaints resolved"),
                 "follow_up_satisfied": N_("owners satisfied at the follow-up")}


def target_text(tr: Translator, code: str, value: float | None, target: float) -> str:
    """One target: the share, the target, met or missed (— without data)."""
    mark = (tr._("no data") if value is None
            else "✅ " + tr._("met") if value >= target - 1e-9 else "❌ " + tr._("missed"))
    return tr._("{what} {value} (target {target}) {mark}", what=tr._(TARGET_LABELS[code]),
                value=pct(tr, value), target=pct(tr, target), mark=mark)


def target_lines(tr: Translator, title: str, results: list[TargetResult]) -> list[str]:
    """Return a title line and one line per target."""
    if not results:
        return []
    return [title, *("  " + target_text(tr, r.code, r.value, r.target) for r in results)]


def agent_lines(tr: Translator, report: AgentReport) -> list[str]:
    """Return the review part, targets and adjustment lines of one agent's report."""
    lines = [tr._("Multi-source review: {parts}", parts=review_text(tr, report.points))]
    lines += [adjustment_line(tr, line) for line in report.adjustments]
    lines += target_lines(tr, tr._("Targets, yours:"), report.targets)
    lines += target_lines(tr, tr._("Targets, the team's:"), report.team_targets)
    return lines


def team_lines(tr: Translator, report: TeamReport) -> list[str]:
    """Return the footnotes of a team table: reviews given and adjustments carried."""
    names = {p.agent_id: p.name or p.external_id for p in report.rows}
    lines = [f"{names.get(agent_id, agent_id)}: {adjustment_line(tr, line)}"
             for agent_id, agent_lines_ in sorted(report.adjustments.items())
             for line in agent_lines_]
    lines += target_lines(tr, tr._("Targets, the team's:"), report.targets)
    reviewed = [p for p in report.rows if any(v is not None for v in p.reviews.values())]
    if reviewed:
        lines.append(tr._("Reviewed: {names}", names=", ".join(
            f"{p.name} {review_text(tr, p)}" for p in reviewed)))
    return lines
