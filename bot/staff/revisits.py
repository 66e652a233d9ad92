"""Staff-entered 回访 in chat: `/revisit WO-…` opens the card, taps fill it, words or save.

`/revisit` alone lists the surveys waiting for a 回访 in the sender's communities. Every tap
checks the tapper again (role, community, own order, still unanswered); nothing is stored
until the 回访 is saved, so an abandoned card leaves no trace.
"""

from __future__ import annotations

from datetime import timedelta

from bot.conversation.actions import AnswerCallback, Edit
from bot.conversation.context import Context
from bot.i18n import Translator
from bot.render import revisits as view
from bot.render.errors import error_text
from bot.render.survey import QUESTION_LABELS
from bot.staff import callbacks as cb
from bot.staff.actions import StaffAction
from bot.staff.deps import StaffDeps
from bot.staff.pending import Pending
from scoring.questions import QUESTIONS
from surveys.core.errors import DomainError, ErrorCode
from surveys.survey.revisit_staff import Recorder
from surveys.survey.revisits import pending_revisits, record_revisit, revisit_target

PROMPT = "rv:"  # pending kind prefix: "rv:<state>", target = the survey id


def refusal(tr: Translator, exc: DomainError, work_order: str | int = "") -> str:
    """Say why a 回访 was refused; a question is named in the reader's words."""
    values: dict[str, str | int | None] = {"id": exc.fields.get("id") or work_order}
    if exc.code == ErrorCode.REVISIT_RATING:
        question = str(exc.fields.get("question"))
        values["question"] = tr._(QUESTION_LABELS.get(question, question))
        values["value"] = exc.fields.get("value") or "—"
    channel = exc.fields.get("channel")
    if channel is not None:
        values["channel"] = str(channel)
    return error_text(tr, exc, **values)


async def command(staff: StaffDeps, ctx: Context, args: str) -> list[StaffAction]:
    """/revisit ORDER-ID: the entry card; /revisit alone: the pending list."""
    tr = ctx.tr
    try:
        recorder = Recorder.of(ctx.me)
        if not args:
            config = staff.revisit_config
            targets, count = await pending_revisits(
                db=staff.db, community_id=recorder.community_id,
                window=timedelta(days=config.window_days), limit=config.list_limit)
            return [ctx.send(view.pending_text(tr, targets, count))]
        work_order = args.split()[0]
        target = await revisit_target(db=staff.db, work_order=work_order, recorder=recorder)
    except DomainError as exc:
        return [ctx.send(refusal(tr, exc, args.split()[0] if args else ""))]
    state = view.State()
    return [ctx.send(view.card_text(tr, target, state),
                     buttons=view.card_buttons(staff.key, tr, target.survey_id, state))]


async def tap(staff: StaffDeps, ctx: Context, parsed: cb.StaffCallback, callback_id: str,
              message_id: int | None) -> list[StaffAction]:
    """Handle a star, the channel, the words button or save; checked again for the tapper."""
    tr = ctx.tr
    survey_id, state, action = int(parsed.fields[0]), view.State.parse(parsed.fields[1]), \
        parsed.fields[2]
    try:
        recorder = Recorder.of(ctx.me)
        target = await revisit_target(db=staff.db, work_order=survey_id, recorder=recorder)
    except DomainError as exc:
        return [AnswerCallback(callback_id, refusal(tr, exc), alert=True)]
    if action in (view.WORDS, view.SAVE):
        if not state.complete:
            return [AnswerCallback(callback_id, tr._("Rate every question first."),
                                   alert=True)]
        if action == view.WORDS:
            await staff.pending.expect(ctx.user_id, PROMPT + state.pack(), survey_id)
            return [AnswerCallback(callback_id), ctx.send(tr._(
                "Send the owner's words for work order {id} in one message, or /cancel.",
                id=target.work_order))]
        return [AnswerCallback(callback_id),
                *await _save(staff, ctx, survey_id, state, None, message_id)]
    if action.startswith("q") and len(action) == 3:
        index, stars = int(action[1]), int(action[2])
        if not (0 <= index < len(state.stars) and 0 <= stars <= 5):
            raise ValueError(action)
        if stars == 0:  # the row's name: say which question it is, change nothing
            return [AnswerCallback(callback_id, tr._(QUESTION_LABELS[QUESTIONS[index]]))]
        state = state.rated(index, stars)
    elif action.startswith("c") and action[1:] in view.CHANNELS:
        state = view.State(state.stars, action[1:])
    else:
        raise ValueError(action)
    actions: list[StaffAction] = [AnswerCallback(callback_id)]
    if message_id is not None:
        actions.append(Edit(ctx.who.chat_id, message_id, view.card_text(tr, target, state),
                            buttons=view.card_buttons(staff.key, tr, survey_id, state)))
    return actions


async def take_words(staff: StaffDeps, ctx: Context, waiting: Pending, text: str
                     ) -> list[StaffAction]:
    """Save the 回访 with the owner's words the sender was asked for."""
    try:
        state = view.State.parse(waiting.kind.removeprefix(PROMPT))
    except ValueError:
        return [ctx.send(ctx.tr._("This button is no longer valid."))]
    return await _save(staff, ctx, waiting.target, state, text, None)


async def _save(staff: StaffDeps, ctx: Context, survey_id: int, state: view.State,
                words: str | None, message_id: int | None) -> list[StaffAction]:
    tr = ctx.tr
    try:
        result = await record_revisit(
            db=staff.db, work_order=survey_id, recorder=Recorder.of(ctx.me),
            ratings=state.ratings, words=words, channel=state.channel_name,
            survey_config=staff.survey_config, complaint_config=staff.complaint_config)
    except DomainError as exc:
        return [ctx.send(refusal(tr, exc))]
    text = view.saved_text(tr, result.target, result.channel, state.ratings, words,
                           result.complaint_opened)
    if message_id is not None:
        return [Edit(ctx.who.chat_id, message_id, text, buttons=[])]
    return [ctx.send(text)]
