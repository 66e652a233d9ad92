"""Survey taps (stars, back/change, skip) and the free-text comment."""

from __future__ import annotations

from bot import callbacks
from bot.conversation.actions import Action, AnswerCallback, Edit
from bot.conversation.context import Context
from bot.conversation.deps import ConversationDeps
from bot.render.errors import INVALID_BUTTON, NOT_BOUND, error_text
from bot.render.survey import card_from_view, render_survey
from surveys.core.errors import DomainError
from surveys.survey.answers import answerable_survey_view, record_rating, submit_survey
from surveys.survey.comments import record_comment, skip_comment
from surveys.survey.views import SurveyView


async def tap(conv: ConversationDeps, ctx: Context, *, callback_id: str, data: str | None,
              message_id: int | None) -> list[Action]:
    """Apply a verified button tap; answer every tap, with a toast when it cannot apply."""
    tr = ctx.tr
    cb = callbacks.verify(conv.key, data)
    if cb is None or cb.survey_id is None:
        return [AnswerCallback(callback_id, tr._(INVALID_BUTTON))]
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
    except DomainError as exc:
        return [AnswerCallback(callback_id, error_text(tr, exc))]
    return [AnswerCallback(callback_id, tr._(INVALID_BUTTON))]


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
    return Edit(chat_id=ctx.who.chat_id, message_id=message_id, text=text, buttons=keyboard,
                survey_id=view.survey_id)


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
    except DomainError as exc:
        return [ctx.send(error_text(tr, exc))]
    if view is None:
        return [ctx.send(tr._("Thank you for your message. There is no survey waiting for a "
                              "comment right now. Send /help to see what I can do."))]
    try:
        final = await submit_survey(
            db=conv.db, survey_id=view.survey_id, telegram_user_id=ctx.who.user_id,
            survey_config=conv.survey_config, complaint_config=conv.complaint_config,
        )
    except DomainError as exc:
        return [ctx.send(error_text(tr, exc))]
    return _finished(conv, ctx, final, None)
