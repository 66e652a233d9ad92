"""Multi-source review in chat: a card per agent with star buttons per criterion and a note.

Managers get a card for each agent of their community (the `review_cards` job sends them when
a period enters review; `/review [period]` sends them again). Agents get cards for the peers
assigned to them and for themselves when those sources have a weight (`points.review`); a
peer card never says who rated.
"""

from __future__ import annotations

from bot.conversation.actions import AnswerCallback, Edit
from bot.conversation.context import Context
from bot.i18n import Translator
from bot.render.errors import error_text
from bot.render.how import criterion_label
from bot.render.survey import star_line
from bot.staff import callbacks as cb
from bot.staff.actions import StaffAction
from bot.staff.cycle import period_arg
from bot.staff.deps import StaffDeps
from bot.staff.paging import BAD_PERIOD, clip
from bot.staff.pending import Pending
from scoring.periods import Period, parse_period
from scoring.points.config import PointsConfig
from surveys.assessment import reviews as service
from surveys.assessment.errors import ReviewRefused
from surveys.assessment.periods import closed_row
from surveys.core import clock
from surveys.core.errors import DomainError, NotFound
from surveys.outbox.ports import Button, Keyboard

NOTE = "rnote:"  # pending kind prefix: "rnote:<period>", target = the rated agent


def card_text(tr: Translator, config: PointsConfig, label: str, view: service.ReviewView,
              source: str) -> str:
    """Render the card: whom, which period, the stars given so far."""
    if source == "self":
        head = tr._("Self-review for {label}: rate your own work.", label=label)
    elif source == "peer":
        head = tr._("Peer review of {name} for {label} (they will not see who rated).",
                    name=view.agent_name, label=label)
    else:
        head = tr._("Review of {name} for {label}: tap the stars for each criterion.",
                    name=view.agent_name, label=label)
    lines = [head]
    for code in config.review.criteria:
        stars = view.ratings.get(code)
        lines.append(star_line(tr, criterion_label(tr, code), stars))
    if view.note:
        lines.append(tr._("Note: {note}", note=view.note))
    return "\n".join(lines)


def card_buttons(key: bytes, tr: Translator, config: PointsConfig, label: str,
                 agent_id: int) -> Keyboard:
    """One row per criterion (its name, then 1–5), and the note button."""
    rows = []
    for i, code in enumerate(config.review.criteria):
        row = [Button(criterion_label(tr, code), cb.pack(key, cb.REVIEW, label, agent_id, i, 0))]
        row += [Button(f"{n}⭐", cb.pack(key, cb.REVIEW, label, agent_id, i, n))
                for n in range(1, 6)]
        rows.append(row)
    rows.append([Button("✏️ " + tr._("Add a note"),
                        cb.pack(key, cb.REVIEW, label, agent_id, "n", 0))])
    return rows


def _source(ctx: Context, agent_id: int) -> tuple[service.Source, int]:
    if ctx.me.is_manager and ctx.me.manager_id is not None and ctx.me.agent_id != agent_id:
        return "manager", ctx.me.manager_id
    assert ctx.me.agent_id is not None
    return ("self" if ctx.me.agent_id == agent_id else "peer"), ctx.me.agent_id


def refusal(tr: Translator, exc: DomainError, label: str) -> str:
    """Say politely why a review was refused."""
    return error_text(tr, exc, label=label)


async def _cards(staff: StaffDeps, ctx: Context, period: Period) -> list[StaffAction]:
    tr, config = ctx.tr, staff.points
    targets: list[tuple[int, service.Source]] = []
    if ctx.me.is_manager and ctx.me.manager_id is not None:
        agents = await service.reviewable_agents(db=staff.db, manager_id=ctx.me.manager_id,
                                                 period=period, now=clock.now())
        targets += [(a.id, "manager") for a in agents if a.id is not None]
    if ctx.me.is_agent and ctx.me.agent_id is not None:
        peers = await service.peers_to_review(db=staff.db, agent_id=ctx.me.agent_id,
                                              period_label=period.label, config=config)
        targets += [(p, "peer") for p in peers]
        if config.review.self_weight > 0:
            targets.append((ctx.me.agent_id, "self"))
    if not targets:
        return [ctx.send(tr._("No reviews are asked of you for {label}.", label=period.label))]
    actions: list[StaffAction] = []
    for agent_id, source in targets:
        views = await service.reviews_of(db=staff.db, period_label=period.label,
                                         agent_id=agent_id)
        mine = next((v for v in views if v.source == source), None)
        name = await service.agent_name(db=staff.db, agent_id=agent_id)
        view = mine or service.ReviewView(agent_id, name, source, {}, None)
        actions.append(ctx.send(card_text(tr, config, period.label, view, source),
                                buttons=card_buttons(staff.key, tr, config, period.label,
                                                     agent_id)))
    return actions


async def command(staff: StaffDeps, ctx: Context, args: str) -> list[StaffAction]:
    """/review [period]: the review cards of the period (default: the last one)."""
    try:
        period = period_arg(staff, args)
    except ValueError:
        return [ctx.send(ctx.tr._(BAD_PERIOD, text=clip(args)))]
    try:
        service.refuse_unstarted(period, clock.now())
    except ReviewRefused as exc:
        return [ctx.send(refusal(ctx.tr, exc, period.label))]
    if await closed_row(db=staff.db, label=period.label) is not None:
        return [ctx.send(refusal(ctx.tr, ReviewRefused("closed", period.label), period.label))]
    return await _cards(staff, ctx, period)


async def tap(staff: StaffDeps, ctx: Context, parsed: cb.StaffCallback, callback_id: str,
              message_id: int | None) -> list[StaffAction]:
    """Handle a star (record it), a criterion's name (say it) or the note button."""
    tr, config = ctx.tr, staff.points
    label, agent_id, which, stars = (parsed.fields[0], int(parsed.fields[1]),
                                     parsed.fields[2], int(parsed.fields[3]))
    if not ctx.me.is_staff:
        return [AnswerCallback(callback_id, tr._("This button is no longer valid."))]
    source, reviewer = _source(ctx, agent_id)
    period = parse_period(label, timezone=staff.timezone)
    if which == "n":
        await staff.pending.expect(ctx.user_id, NOTE + label, agent_id)
        return [AnswerCallback(callback_id), ctx.send(tr._(
            "Send your note about this review in one message, or /cancel."))]
    criteria = config.review.criteria
    index = int(which)
    if not 0 <= index < len(criteria):
        return [AnswerCallback(callback_id, tr._("This button is no longer valid."))]
    if stars == 0:
        return [AnswerCallback(callback_id, criterion_label(tr, criteria[index]))]
    try:
        view = await service.record_review(
            db=staff.db, period=period, config=config, agent_id=agent_id, source=source,
            reviewer_id=reviewer, criterion=criteria[index], stars=stars, now=clock.now())
    except (ReviewRefused, NotFound) as exc:
        return [AnswerCallback(callback_id, refusal(tr, exc, label), alert=True)]
    actions: list[StaffAction] = [AnswerCallback(callback_id, tr._("Saved."))]
    if message_id is not None:
        actions.append(Edit(ctx.who.chat_id, message_id,
                            card_text(tr, config, label, view, source),
                            buttons=card_buttons(staff.key, tr, config, label, agent_id)))
    return actions


async def take_note(staff: StaffDeps, ctx: Context, waiting: Pending, text: str
                    ) -> list[StaffAction]:
    """Record the note the reviewer was asked for."""
    label = waiting.kind.removeprefix(NOTE)
    source, reviewer = _source(ctx, waiting.target)
    try:
        await service.record_review(
            db=staff.db, period=parse_period(label, timezone=staff.timezone),
            config=staff.points, agent_id=waiting.target, source=source,
            reviewer_id=reviewer, note=text, now=clock.now())
    except DomainError as exc:  # refused, gone, or a note over the limit
        return [ctx.send(refusal(ctx.tr, exc, label))]
    return [ctx.send(ctx.tr._("Note saved."))]
