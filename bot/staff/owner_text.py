"""An owner's free text outside a survey, and /complain: the words the service's decision
(`surveys.complaints.owner_text`) is answered with, and the "register as a complaint?"
buttons."""

from __future__ import annotations

from bot.conversation.actions import AnswerCallback
from bot.conversation.context import Context
from bot.i18n import Translator
from bot.render.errors import error_text
from bot.staff import callbacks as cb
from bot.staff.actions import Edit, StaffAction
from bot.staff.deps import StaffDeps
from bot.staff.paging import turns
from surveys.complaints.owner_text import (
    Outcome,
    OwnerTextResult,
    answer_confirmation,
    complain_explicitly,
    take_owner_text,
)
from surveys.complaints.waiting_texts import asked_homes, choose_home
from surveys.core.errors import DomainError
from surveys.outbox.ports import Button, Keyboard
from surveys.people.homes import complaint_home

HOMES_PER_PAGE = 10  # an account with more homes turns pages under "which home?"


def _words(staff: StaffDeps, tr: Translator, result: OwnerTextResult) -> str:
    """What the owner is told of the outcome (CONFIRM has its own message with buttons)."""
    if result.outcome == Outcome.CHATTER:
        return tr._("Hello! I am the property service assistant. After each completed work "
                    "order I ask you to rate the service. To report a problem, describe it "
                    "here (or send /complain followed by what happened) and we will pass it "
                    "to the staff in charge.")
    if result.outcome == Outcome.THANKS:
        return tr._("Thank you for your kind words! To report a problem or make a complaint, "
                    "just describe it here, or send /complain followed by what happened.")
    if result.outcome == Outcome.GLAD:
        return tr._("Thank you! We are here whenever you need us.")
    if result.outcome == Outcome.UPSET:
        return tr._("We are sorry if something is not right. Please tell us in a few words "
                    "what happened, and we will pass it to the staff in charge (or send "
                    "/complain followed by what happened).")
    if result.outcome == Outcome.JOINED and not result.changed:
        return tr._("Your complaint #{id} is being handled and we already have these words; "
                    "there is no need to send them again.", id=result.complaint_id)
    if result.outcome == Outcome.JOINED and result.awaits_answer:
        return tr._("We have added this to your complaint #{id} and passed it to the staff "
                    "in charge. If the problem is not solved, please tap “😞 Not satisfied” "
                    "under our follow-up question, and it will be handled again.",
                    id=result.complaint_id)
    if result.outcome == Outcome.JOINED:
        return tr._("We have added this to your complaint #{id} and passed it to the staff "
                    "in charge. If it is a separate matter, please send /complain followed "
                    "by what happened.", id=result.complaint_id)
    if result.outcome == Outcome.DECLINED:
        return tr._("All right, no complaint was registered. Tell us here any time if you "
                    "need anything.")
    if result.outcome == Outcome.EXPIRED:
        return _lapsed(tr, result.words)
    if result.outcome == Outcome.HOME_LEFT:
        return _home_left(tr, result.words)
    if result.outcome == Outcome.CHOOSE_HOME:
        return tr._("Please tap the home this is about under our question.")
    if result.outcome == Outcome.KEPT:
        return tr._("You have already registered several complaints today. We have kept "
                    "this message and passed it to the manager; no new complaint was opened.")
    config = staff.complaint_config
    hours = config.urgent_ack_hours if result.urgent else config.ack_hours
    return tr._("Thank you. Your complaint #{id} has been recorded and passed to the "
                "staff in charge, who will get back to you here within {hours} "
                "hours.", id=result.complaint_id, hours=f"{hours:g}")


def _lapsed(tr: Translator, words: str | None) -> str:
    """A late tap: the question lapsed; the owner gets their words back to send again."""
    text = tr._("Sorry, this question has lapsed, so nothing was registered. If the problem "
                "is still there, please write to us again, or send /complain followed by "
                "what happened.")
    # Their words in full (at most a complaint's 2,000 characters): nothing to retype.
    return f"{text}\n{tr._('Your message was:')}\n{words}" if words else text


def _home_left(tr: Translator, words: str | None) -> str:
    """The writer's homes all left their account: nothing registered; their words back."""
    text = tr._("Your home is no longer linked to this Telegram account, so nothing was "
                "registered. If the problem is still there, please tell us from the account "
                "the home is linked to now, or contact the property office.")
    return f"{text}\n{tr._('Your message was:')}\n{words}" if words else text


def _settled(tr: Translator, result: OwnerTextResult) -> str | None:
    """A repeated tap's toast for words given back (a toast holds no more than 200)."""
    if result.outcome == Outcome.EXPIRED:
        return _lapsed(tr, None)
    return _home_left(tr, None) if result.outcome == Outcome.HOME_LEFT else None


async def _told(staff: StaffDeps, ctx: Context, result: OwnerTextResult) -> str:
    """The outcome's words, naming the complaint's home when the owner holds several, or
    when it is a home that moved away from them (their complaint there took the words)."""
    text = _words(staff, ctx.tr, result)
    if result.complaint_id is None:
        return text
    home = await complaint_home(db=staff.db, complaint_id=result.complaint_id)
    if home is None or (len(ctx.me.owner_ids) < 2 and home.owner_id in ctx.me.owner_ids):
        return text
    return f"{ctx.tr._('Home: {home}', home=home.label)}\n{text}"


def _question(staff: StaffDeps, ctx: Context, owner_text_id: int | None) -> StaffAction:
    tr = ctx.tr
    buttons = [[
        Button(tr._("Register as a complaint"), cb.pack(staff.key, cb.OWNER_TEXT,
                                                        owner_text_id, 1)),
        Button(tr._("No, thanks"), cb.pack(staff.key, cb.OWNER_TEXT, owner_text_id, 0)),
    ]]
    hours = staff.complaint_config.owner_question_hours
    return ctx.send(tr._("Shall we register this message as a complaint and pass it to the "
                         "staff in charge? Please answer within {hours} hours.",
                         hours=f"{hours:g}"), buttons=buttons)


def _which_home(staff: StaffDeps, ctx: Context, result: OwnerTextResult, page: int = 1
                ) -> tuple[str, Keyboard]:
    """"Which home?": one button per home of the account, named as messages name them.

    More than HOMES_PER_PAGE homes are shown a page at a time: Telegram refuses a keyboard of
    over 100 buttons ("reply markup is too long"), which left such an owner no question.
    """
    homes, pages = result.homes, max(1, -(-len(result.homes) // HOMES_PER_PAGE))
    page = max(1, min(page, pages))
    shown = homes[(page - 1) * HOMES_PER_PAGE:page * HOMES_PER_PAGE]
    buttons = [[Button(home.label, cb.pack(staff.key, cb.HOME, result.owner_text_id,
                                           home.owner_id))] for home in shown]
    if pages > 1:
        buttons.append(turns(ctx, page, pages, lambda to: cb.pack(
            staff.key, cb.HOME_PAGE, result.owner_text_id, to)))
    question = ctx.tr._("Which of your homes is this about? Please tap it below, and we will "
                        "pass it to the staff in charge of that home.")
    if result.outcome == Outcome.HOME_LEFT:  # the home tapped moved away: asked again
        question = "\n".join((ctx.tr._("That home is no longer linked to your account, so "
                                        "nothing was registered for it."), question))
    return question, buttons


def _asked(staff: StaffDeps, ctx: Context, result: OwnerTextResult, *, again: str
           ) -> list[StaffAction]:
    """Ask "which home?", or point to the question asked already (`again`)."""
    if not result.changed:
        return [ctx.send(again)]
    text, buttons = _which_home(staff, ctx, result)
    return [ctx.send(text, buttons=buttons)]


async def free_text(staff: StaffDeps, ctx: Context, text: str) -> list[StaffAction]:
    """Answer an owner's text outside a survey as the service decided."""
    try:
        result = await take_owner_text(db=staff.db, telegram_user_id=ctx.user_id, text=text,
                                       complaint_config=staff.complaint_config)
    except DomainError as exc:
        return [ctx.send(error_text(ctx.tr, exc))]
    if result.outcome == Outcome.CONFIRM and not result.changed:
        return [ctx.send(ctx.tr._("We have added this to your message above. Please tap "
                                  "“Register as a complaint” or “No, thanks” under our "
                                  "question there."))]
    if result.outcome == Outcome.CONFIRM:
        return [_question(staff, ctx, result.owner_text_id)]
    if result.outcome == Outcome.CHOOSE_HOME:
        return _asked(staff, ctx, result, again=ctx.tr._(
            "We have added this to your message above. Please tap the home it is about under "
            "our question there."))
    return [ctx.send(await _told(staff, ctx, result))]


async def complain(staff: StaffDeps, ctx: Context, text: str) -> list[StaffAction]:
    """Open the complaint the owner asked for with /complain (within the daily limit)."""
    try:
        result = await complain_explicitly(db=staff.db, telegram_user_id=ctx.user_id,
                                           text=text, complaint_config=staff.complaint_config)
    except DomainError as exc:
        return [ctx.send(error_text(ctx.tr, exc))]
    if result.outcome == Outcome.CHOOSE_HOME:
        return _asked(staff, ctx, result, again=ctx.tr._(
            "We already have this complaint above. Please tap the home it is about under our "
            "question there."))
    return [ctx.send(await _told(staff, ctx, result))]


async def tap(staff: StaffDeps, ctx: Context, parsed: cb.StaffCallback, callback_id: str,
              message_id: int | None) -> list[StaffAction]:
    """"Register as a complaint" / "No, thanks" under a waiting text; the first answer stands."""
    try:
        result = await answer_confirmation(
            db=staff.db, telegram_user_id=ctx.user_id, owner_text_id=parsed.int_field(),
            register=parsed.fields[1] == "1", complaint_config=staff.complaint_config)
    except DomainError as exc:
        return [AnswerCallback(callback_id, error_text(ctx.tr, exc), alert=True)]
    if not result.changed:
        # A second tap (or a repeated update): the message already says the first answer.
        toast = _settled(ctx.tr, result) or await _told(staff, ctx, result)
        return [AnswerCallback(callback_id, toast)]
    if result.outcome == Outcome.CHOOSE_HOME:  # registered: the question becomes "which home?"
        text, buttons = _which_home(staff, ctx, result)
        return [AnswerCallback(callback_id), _shown(ctx, message_id, text, buttons)]
    return [AnswerCallback(callback_id), _shown(ctx, message_id, await _told(staff, ctx, result))]


async def home_tap(staff: StaffDeps, ctx: Context, parsed: cb.StaffCallback, callback_id: str,
                   message_id: int | None) -> list[StaffAction]:
    """Handle a home tapped under "which home?"; the first tap stands, a repeat is a no-op."""
    try:
        result = await choose_home(
            db=staff.db, telegram_user_id=ctx.user_id, owner_text_id=parsed.int_field(),
            owner_id=parsed.int_field(1), complaint_config=staff.complaint_config)
    except DomainError as exc:
        return [AnswerCallback(callback_id, error_text(ctx.tr, exc), alert=True)]
    if not result.changed:  # a second tap, a repeated update, or buttons already answered
        toast = _settled(ctx.tr, result) or ctx.tr._(
            "You have already chosen the home; nothing more is needed.")
        return [AnswerCallback(callback_id, toast)]
    if result.outcome == Outcome.HOME_LEFT and result.homes:  # asked again among those left
        text, buttons = _which_home(staff, ctx, result)
        return [AnswerCallback(callback_id), _shown(ctx, message_id, text, buttons)]
    return [AnswerCallback(callback_id), _shown(ctx, message_id, await _told(staff, ctx, result))]


async def home_page(staff: StaffDeps, ctx: Context, parsed: cb.StaffCallback, callback_id: str,
                    message_id: int | None) -> list[StaffAction]:
    """Show another page of the homes under "which home?" in place."""
    try:
        result = await asked_homes(db=staff.db, telegram_user_id=ctx.user_id,
                                   owner_text_id=parsed.int_field(),
                                   complaint_config=staff.complaint_config)
    except DomainError as exc:
        return [AnswerCallback(callback_id, error_text(ctx.tr, exc), alert=True)]
    if not result.homes:  # decided meanwhile: the message above says how
        toast = _settled(ctx.tr, result) or ctx.tr._(
            "You have already chosen the home; nothing more is needed.")
        return [AnswerCallback(callback_id, toast)]
    text, buttons = _which_home(staff, ctx, result, page=parsed.int_field(1))
    return [AnswerCallback(callback_id), _shown(ctx, message_id, text, buttons)]


def _shown(ctx: Context, message_id: int | None, text: str, buttons: Keyboard | None = None
           ) -> StaffAction:
    """The tapped message edited to `text` (buttons replaced), or a new one if it is unknown."""
    if message_id is None:
        return ctx.send(text, buttons=buttons)
    return Edit(ctx.who.chat_id, message_id, text, buttons=buttons)
