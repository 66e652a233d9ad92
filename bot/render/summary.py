"""The weekly summary an agent gets on Monday and the team digest managers get.

Plain text (outbox messages carry no parse mode), one fact a line, numbers for the locale.
"""

from __future__ import annotations

from bot.i18n import N_, Translator
from bot.render.alerts import tags_text
from bot.render.cycle_lines import TARGET_LABELS, target_lines
from bot.render.numbers import num, pct, signed
from bot.render.reports import QUESTION_LABELS, grade_label
from bot.render.revisit_rates import own_revisit_lines, revisit_lines
from scoring.points.targets import TargetResult
from scoring.questions import QUESTIONS
from scoring.revisits import RevisitRate, RevisitRates
from surveys.outbox.payloads import (
    Dimension,
    RankRow,
    RevisitFigure,
    TargetFigure,
    TeamDigestPayload,
    TopTag,
    WeeklySummaryPayload,
)
from surveys.outbox.ports import OutgoingMessage

SUGGESTIONS = {
    "attitude": N_("Greet the owner by name, listen to the end before explaining, and thank "
                   "them for their patience."),
    "timeliness": N_("Tell the owner when you will arrive, and call ahead if you will be "
                     "late; close the loop the same day."),
    "clarity": N_("Before leaving, explain in plain words what was done and what the owner "
                  "should watch for next."),
    "resolution": N_("Check with the owner that the problem is really fixed before closing "
                     "the work order; book a return visit if not."),
    "overall": N_("Call back the owners who gave low ratings this week to ask what went "
                  "wrong."),
}
NO_COMPLAINT_SUGGESTION = N_("No complaints last week: keep it up, and ask satisfied owners "
                             "to answer the survey.")


def suggestion(tr: Translator, tags: list[TopTag]) -> str:
    """One concrete suggestion from the most frequent tag that has one."""
    for item in tags:
        if item.tag in SUGGESTIONS:
            return tr._(SUGGESTIONS[item.tag])
    return tr._(NO_COMPLAINT_SUGGESTION)


def tag_line(tr: Translator, item: TopTag) -> str:
    """One complaint topic: its own words, else its low ratings, else the count alone."""
    tag, n = tags_text(tr, [item.tag]), item.count
    if item.words:
        return tr._("• {tag} ×{n} (e.g. {words})", tag=tag, n=n,
                    words=tr._(", ").join(item.words))
    ratings = [r for r in item.ratings if r]
    if ratings and item.tag in QUESTION_LABELS:
        stars = "/".join(f"{r}⭐" for r in ratings)
        return tr._("• {tag} ×{n} ({question} {stars})", tag=tag, n=n, stars=stars,
                    question=tr._(QUESTION_LABELS[item.tag]))
    return tr._("• {tag} ×{n}", tag=tag, n=n)


def payload_targets(tr: Translator, title: str, items: list[TargetFigure]) -> list[str]:
    """Word the targets a payload stored (none in summaries queued before targets existed)."""
    results = [TargetResult(i.code, i.value, i.target) for i in items if i.code in TARGET_LABELS]
    return target_lines(tr, title, results)


def complaint_points_line(tr: Translator, p: WeeklySummaryPayload) -> list[str]:
    """Complaint points as their two parts (absent from summaries queued before v2)."""
    if p.handling_quality is None:
        return []
    return [tr._("Complaint points: {points} = handling quality {quality} − frequency "
                 "penalty {penalty}", points=num(tr, p.handling),
                 quality=num(tr, p.handling_quality),
                 penalty=num(tr, p.frequency_penalty or 0.0))]


def _rate(figure: RevisitFigure) -> RevisitRate:
    return RevisitRate(figure.closed, figure.answered, figure.complaint_closed,
                       figure.complaint_answered)


def rate_of(figure: RevisitFigure | None) -> RevisitRate | None:
    """Return the 回访率 a payload stored (None in payloads queued before it existed)."""
    return None if figure is None else _rate(figure)


def digest_rates(p: TeamDigestPayload) -> RevisitRates:
    """Return the digest's 回访率 per community and per ranked agent."""
    return RevisitRates(
        communities={name: _rate(f) for name, f in p.revisit_communities.items()},
        agents={r.agent_id: _rate(r.revisit) for r in p.rows
                if r.agent_id is not None and r.revisit is not None})


def render_weekly_summary(p: WeeklySummaryPayload, tr: Translator) -> str:
    """Render the agent's weekly summary text."""
    rank = (tr._("{rank} of {size}", rank=p.rank, size=p.team_size)
            if p.rank is not None else "—")
    lines = [
        tr._("📊 Your weekly summary, {week} ({first} to {last})", week=p.week,
             first=p.first_day.isoformat(), last=p.last_day.isoformat()),
        "",
        tr._("Surveys sent: {sent}, answered: {answered}, response rate: {rate}",
             sent=p.surveys_sent, answered=p.responses, rate=pct(tr, p.response_rate)),
        *own_revisit_lines(tr, rate_of(p.revisit)),
    ]
    for q in QUESTIONS:
        d = p.dimensions[q] if q in p.dimensions else Dimension()
        lines.append(tr._("{question}: {score} ({change} vs last week)",
                          question=tr._(QUESTION_LABELS[q]), score=num(tr, d.score),
                          change=signed(tr, d.change)))
    lines += [
        tr._("Complaints: {n}; acknowledged on time {ack}, resolved {resolved}, owners "
             "satisfied {satisfied}", n=p.complaints, ack=pct(tr, p.ack_on_time_rate),
             resolved=pct(tr, p.resolution_rate),
             satisfied=pct(tr, p.follow_up_satisfaction_rate)),
        *complaint_points_line(tr, p),
        *payload_targets(tr, tr._("Targets, yours:"), p.targets),
        *payload_targets(tr, tr._("Targets, the team's:"), p.team_targets),
        tr._("Points: {total} ({change}), grade: {grade}, rank in team: {rank}",
             total=num(tr, p.total), change=signed(tr, p.change),
             grade=grade_label(tr, p.grade), rank=rank),
    ]
    if p.top_tags:
        lines += ["", tr._("Most frequent complaint topics:")]
        lines += [tag_line(tr, item) for item in p.top_tags]
    lines += ["", tr._("💡 Suggestion: {text}", text=suggestion(tr, p.top_tags))]
    return "\n".join(lines)


def ranking_lines(tr: Translator, rows: list[RankRow]) -> list[str]:
    """One line per ranked agent: rank, name, total, grade and change."""
    return [tr._("{rank}. {name}: {total} {grade} ({change})",
                 rank=r.rank or "—", name=r.name, total=num(tr, r.total),
                 grade=grade_label(tr, r.grade), change=signed(tr, r.change))
            for r in rows]


def render_team_digest(p: TeamDigestPayload, tr: Translator) -> str:
    """Render the managers' Monday digest text."""
    scope = p.community or tr._("all communities")
    lines = [
        tr._("📋 Team digest, {week} ({first} to {last}), {scope}", week=p.week,
             first=p.first_day.isoformat(), last=p.last_day.isoformat(), scope=scope),
        tr._("Surveys sent: {sent}, responses: {responses}, complaints: {complaints}",
             sent=p.surveys_sent, responses=p.responses, complaints=p.complaints),
        tr._("Complaints still open: {open}, overdue: {overdue}", open=p.open_complaints,
             overdue=p.overdue_complaints),
        *revisit_lines(tr, digest_rates(p), {r.agent_id: r.name or "—" for r in p.rows
                                             if r.agent_id is not None}),
        "",
    ]
    if not p.rows:
        lines.append(tr._("No closed work orders, surveys or complaints in this period."))
    lines += ranking_lines(tr, p.rows)
    if targets := payload_targets(tr, tr._("Targets, the team's:"), p.team_targets):
        lines += ["", *targets]
    # The week by name: the digest may be read days later, when "last-week" is another week.
    lines += ["", tr._("Send /report {week} for the full table, /export {week} for the "
                       "workbook.", week=p.week)]
    return "\n".join(lines)


def weekly_summary(payload: WeeklySummaryPayload, tr: Translator, key: bytes, chat_id: int
                   ) -> OutgoingMessage:
    """Send an agent their weekly summary."""
    return OutgoingMessage(chat_id=chat_id, text=render_weekly_summary(payload, tr))


def team_digest(payload: TeamDigestPayload, tr: Translator, key: bytes, chat_id: int
                ) -> OutgoingMessage:
    """Send a manager the team digest."""
    return OutgoingMessage(chat_id=chat_id, text=render_team_digest(payload, tr))
