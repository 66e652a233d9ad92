"""Survey taps (stars, back/change, skip) and the free-text comment."""

from __future__ import annotations

from bot import callbacks
from bot.conversation.actions import Action, AnswerCallback, Edit
from bot.conversation.context import Context
from bot.conversation.deps import ConversationDeps
from bot.conversation.misc import NOT_BOUND
from bot.render.survey import card_from_view, render_survey
from surveys.core.errors import InvalidAnswer, NotBound, NotFound, NotYourSurvey, SurveyClosed
from surveys.survey.answers import (
    SurveyView,
    answerable_survey_view,
    record_comment,
    record_rating,
    skip_comment,
    submit_survey,
)


async def tap(conv: ConversationDeps, ctx: Context, *, callback_id: str, data: str | None,
              message_id: int | None) -> list[Action]:
    """Apply a verified button tap; answer every tap, with a toast when it cannot apply."""
    tr = ctx.tr
    cb = callbacks.verify(conv.key, data)
    if cb is None or cb.survey_id is None:
        return [AnswerCallback(callback_id, tr._("This button is no longer valid."))]
    if ctx.owner_id is None:
        return [AnswerCallback(callback_id, tr._(NOT_BOUND), alert=True)]
    try:
        if cb.kind == callbacks.RATE:
            return await _rate(conv, ctx, cb, callback_id, message_id)
        if cb.kind == callbacks.ASK:
            return await _ask(conv, ctx, cb, callback_id, message_id)
        if cb.kind == callbacks.SKIP:
            view = await skip_comment(
                db=conv.db, survey_id=cb.survey_id, telegram_user_id=ctx.who.user_id,
                survey_config=conv.survey_config, complaint_config=conv.complaint_config,
            )
            return [AnswerCallback(callback_id), *_finished(conv, ctx, view, message_id)]
    except NotYourSurvey:
        return [AnswerCallback(callback_id, tr._("This survey belongs to someone else."))]
    except SurveyClosed as exc:
        return [AnswerCallback(callback_id, _closed_text(ctx, exc.status))]
    except (NotFound, NotBound):
        return [AnswerCallback(callback_id, tr._("This survey no longer exists."))]
    except InvalidAnswer:
        return [AnswerCallback(callback_id, tr._("This button is no longer valid."))]
    return [AnswerCallback(callback_id, tr._("This button is no longer valid."))]


def _closed_text(ctx: Context, status: str) -> str:
    if status == "submitted":
        return ctx.tr._("This survey was already submitted. Thank you!")
    return ctx.tr._("This survey has expired and can no longer be answered.")


async def _rate(conv: ConversationDeps, ctx: Context, cb: callbacks.Callback, callback_id: str,
                message_id: int | None) -> list[Action]:
    assert cb.survey_id is not None and cb.question and cb.rating
    result = await record_rating(
        db=conv.db, survey_id=cb.survey_id, telegram_user_id=ctx.who.user_id,
        question=cb.question, rating=cb.rating,
    )
    actions: list[Action] = [AnswerCallback(callback_id, "⭐" * cb.rating)]
    if message_id is not None:
        # Edit even when the rating did not change: after "Back" the message must move on.
        actions.append(_edit(conv, ctx, result.view, message_id))
    return actions


async def _ask(conv: ConversationDeps, ctx: Context, cb: callbacks.Callback, callback_id: str,
               message_id: int | None) -> list[Action]:
    assert cb.survey_id is not None
    view = await answerable_survey_view(db=conv.db, survey_id=cb.survey_id,
                                        telegram_user_id=ctx.user_id)
    actions: list[Action] = [AnswerCallback(callback_id)]
    if message_id is not None:
        actions.append(_edit(conv, ctx, view, message_id, asking=cb.question))
    return actions


def _edit(conv: ConversationDeps, ctx: Context, view: SurveyView, message_id: int, *,
          asking: str | None = None) -> Edit:
    text, keyboard = render_survey(card_from_view(view), ctx.tr, conv.key, asking=asking)
    return Edit(chat_id=ctx.who.chat_id, message_id=message_id, text=text, buttons=keyboard)


def _finished(conv: ConversationDeps, ctx: Context, view: SurveyView, message_id: int | None
              ) -> list[Action]:
    """Show the submitted survey in place and thank the owner."""
    actions: list[Action] = []
    target = message_id or view.message_id
    if target:
        actions.append(_edit(conv, ctx, view, target))
    low = any(r is not None and r <= conv.survey_config.low_rating_threshold
              for r in view.ratings.values())
    if low:
        text = ctx.tr._("Thank you for your feedback. We are sorry the service fell short; "
                        "the property management team will follow up with you.")
    else:
        text = ctx.tr._("Thank you for your feedback! It helps us serve you better.")
    actions.append(ctx.send(text))
    return actions


async def comment(conv: ConversationDeps, ctx: Context, *, text: str, message_id: int
                  ) -> list[Action]:
    """Record a comment for the survey awaiting one and submit it; else reply politely."""
    tr = ctx.tr
    if ctx.owner_id is None:
        return [ctx.send(tr._(NOT_BOUND))]
    try:
        view = await record_comment(db=conv.db, telegram_user_id=ctx.who.user_id, text=text,
                                    message_id=message_id,
                                    max_chars=conv.survey_config.comment_max_chars)
    except InvalidAnswer:
        return [ctx.send(tr._("Sorry, that message is too long. Please keep your comment under "
                              "{limit} characters.", limit=conv.survey_config.comment_max_chars))]
    except NotBound:
        return [ctx.send(tr._(NOT_BOUND))]
    if view is None:
        return [ctx.send(tr._("Thank you for your message. There is no survey waiting for a "
                              "comment right now. Send /help to see what I can do."))]
    try:
        final = await submit_survey(
            db=conv.db, survey_id=view.survey_id, telegram_user_id=ctx.who.user_id,
            survey_config=conv.survey_config, complaint_config=conv.complaint_config,
        )
    except SurveyClosed as exc:
        return [ctx.send(_closed_text(ctx, exc.status))]
    return _finished(conv, ctx, final, None)
