"""The survey message: work order, agent, answers so far, and the buttons of the next step."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot import callbacks
from bot.i18n import N_, Translator
from scoring.questions import QUESTIONS
from surveys.outbox.kinds import FoldedOrder, SurveyPayload
from surveys.outbox.ports import Button, Keyboard
from surveys.survey.views import SurveyView

QUESTION_LABELS = {
    "overall": N_("Overall satisfaction"),
    "attitude": N_("Service attitude"),
    "clarity": N_("Clear explanation"),
    "timeliness": N_("Timeliness"),
}
KIND_LABELS = {
    "repair": N_("Repair"),
    "complaint": N_("Complaint"),
    "enquiry": N_("Enquiry"),
}
DONE_STATUSES = {"submitted"}
CLOSED_STATUSES = {"expired", "undeliverable", "skipped_unbound", "skipped_opted_out"}


@dataclass(frozen=True)
class SurveyCard:
    """What the survey message shows; built from a SurveyView or an outbox payload."""

    survey_id: int
    title: str = ""
    kind: str = "repair"
    external_id: str = ""
    agent_name: str = ""
    ratings: Mapping[str, int | None] = field(default_factory=dict)
    comment: str | None = None
    status: str = "sent"
    next_step: str = "overall"
    folded: tuple[FoldedOrder, ...] = ()
    home: str | None = None  # named when the owner's account holds several homes


def card_from_view(view: SurveyView) -> SurveyCard:
    """Build a card from the survey as the answer services return it."""
    return SurveyCard(
        survey_id=view.survey_id, title=view.work_order_title, kind=view.work_order_kind,
        external_id=view.work_order_external_id, agent_name=view.agent_name or "",
        ratings=dict(view.ratings), comment=view.comment, status=view.status,
        next_step=view.next_step, folded=view.folded, home=view.home,
    )


def card_from_payload(p: SurveyPayload) -> SurveyCard:
    """Build a survey's card from its typed outbox payload (read a stored row with `of`)."""
    missing = [q for q in QUESTIONS if not p.ratings.get(q)]
    return SurveyCard(
        survey_id=p.survey_id, title=p.work_order_title, kind=p.work_order_kind,
        external_id=p.work_order_external_id, agent_name=p.agent_name or "",
        ratings=dict(p.ratings), comment=p.comment, status=p.status or "sent",
        next_step=missing[0] if missing else "comment", folded=tuple(p.folded), home=p.home,
    )


def stars(rating: int | None) -> str:
    """Show a rating as five stars, or a dash when unanswered."""
    if not rating:
        return "—"
    return "★" * rating + "☆" * (5 - rating)


def header(card: SurveyCard, tr: Translator) -> list[str]:
    """Return the lines naming the work order and the agent."""
    kind = tr._(KIND_LABELS[card.kind]) if card.kind in KIND_LABELS else card.kind
    lines = [tr._("Satisfaction survey"), ""]
    if card.home:  # an owner of several homes must know which one the order was for
        lines.append(tr._("Home: {home}", home=card.home))
    lines.append(tr._("Work order: {title} ({kind}, No. {number})", title=card.title or "-",
                      kind=kind, number=card.external_id or "-"))
    if card.agent_name:
        lines.append(tr._("Handled by: {agent}", agent=card.agent_name))
    if card.folded:
        # Fatigue cap: one survey for several orders; the answer counts for each.
        lines.append(tr._("Also about these orders (one answer counts for all):"))
        lines.extend(tr._("• {title} (No. {number}, {agent})", title=f.title or "-",
                          number=f.external_id, agent=f.agent_name or "-")
                     for f in card.folded)
    return lines


def answers(card: SurveyCard, tr: Translator) -> list[str]:
    """Return one line per question with the answer so far."""
    lines = [tr._("{question}: {answer}", question=tr._(QUESTION_LABELS[q]),
                  answer=stars(card.ratings.get(q))) for q in QUESTIONS]
    if card.comment:
        lines.append(tr._("Comment: {comment}", comment=card.comment))
    return lines


def render_survey(
    card: SurveyCard, tr: Translator, key: bytes, *, asking: str | None = None
) -> tuple[str, Keyboard]:
    """Render the survey message for its current step (or `asking` a question again)."""
    lines = header(card, tr)
    lines.append("")
    lines.extend(answers(card, tr))
    lines.append("")
    if card.status in DONE_STATUSES:
        lines.append(tr._("Submitted. Thank you for your feedback!"))
        return "\n".join(lines), []
    if card.status in CLOSED_STATUSES:
        lines.append(tr._("This survey has expired and can no longer be answered."))
        return "\n".join(lines), []
    step = asking if asking in QUESTIONS else card.next_step
    if step in QUESTIONS:
        lines.append(tr._("How would you rate “{question}”? Tap 1-5 stars:",
                          question=tr._(QUESTION_LABELS[step])))
        return "\n".join(lines), _star_keyboard(card, step, tr, key)
    lines.append(tr._("Anything else to tell us? Write a comment as a message, "
                      "or tap “Submit without comment”."))
    return "\n".join(lines), _comment_keyboard(card, tr, key)


def _star_keyboard(card: SurveyCard, question: str, tr: Translator, key: bytes) -> Keyboard:
    current = card.ratings.get(question)
    row = [
        Button(f"{'✅' if current == n else ''}{n}⭐",
               callbacks.rate(key, card.survey_id, question, n))
        for n in range(1, 6)
    ]
    keyboard: Keyboard = [row]
    index = QUESTIONS.index(question)
    if index > 0:
        previous = QUESTIONS[index - 1]
        keyboard.append([Button(tr._("« Back"), callbacks.ask(key, card.survey_id, previous))])
    return keyboard


def _comment_keyboard(card: SurveyCard, tr: Translator, key: bytes) -> Keyboard:
    change = [
        Button(tr._("Change: {question}", question=tr._(QUESTION_LABELS[q])),
               callbacks.ask(key, card.survey_id, q))
        for q in QUESTIONS
    ]
    return [
        change[:2],
        change[2:],
        [Button(tr._("Submit without comment"), callbacks.skip(key, card.survey_id))],
    ]


def star_line(tr: Translator, label: str, stars: int | None) -> str:
    """One line of a staff card's stars, '• 总体满意度：⭐⭐⭐⭐' ('—' before a star is tapped)."""
    return tr._("• {label}: {stars}", label=label, stars="⭐" * stars if stars else "—")
