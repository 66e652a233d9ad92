"""The one table that turns a domain error (`surveys.core.errors`) into words.

Every `ErrorCode` has a catalog message here; its placeholders are filled from the error's
fields (and from `values` the caller knows, such as the id the person typed). Chats, staff
replies and the CLI all say refusals through `error_text`, never through `str(exc)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter

from bot.i18n import N_, Translator
from bot.render.repeats import category_text
from surveys.core.errors import DomainError, ErrorCode, Field

C = ErrorCode
INVALID_BUTTON = N_("This button is no longer valid.")
NOT_BOUND = N_("You are not bound to a home yet. Send /start and share your phone number "
               "to begin.")
COMPLAINT_LENGTH = N_("Sorry, a complaint must be between 1 and 2000 characters.")

MESSAGES: Mapping[ErrorCode, str] = {
    C.DOMAIN: N_("Sorry, that did not work."),
    C.NOT_FOUND: N_("Sorry, we could not find that."),
    C.FORBIDDEN: N_("Sorry, you may not do that."),
    C.INVALID_INPUT: N_("Sorry, that input cannot be accepted."),
    C.INVALID_ANSWER: INVALID_BUTTON,
    C.INVALID_TRANSITION: N_("Sorry, this can no longer be changed."),
    C.NOT_BOUND: NOT_BOUND,
    C.UNKNOWN_PHONE: N_("Sorry, we could not find this phone number among the owners we "
                        "serve. Please contact the property office to register it."),
    C.PHONE_BOUND_ELSEWHERE: N_("This phone number is already linked to another Telegram "
                                "account, so we have not moved your home to this one. Please "
                                "ask the property office for an invite link."),
    C.FORGED_CONTACT: N_("Please share your own phone number with the button below, not "
                         "someone else's contact."),
    C.INVALID_INVITE: N_("This invite link is invalid, expired or already used. Please ask "
                         "the property office for a new one, or send /start to bind with "
                         "your phone number."),
    C.INVITE_SECRET_MISSING: N_("Set invites.secret (OWNERVOICE_INVITES__SECRET) first."),
    C.INVALID_PHONE: N_("This phone number is not valid."),
    C.INVALID_NAME: N_("A name must be 1 to {max} characters, without control characters."),
    C.UNKNOWN_LANGUAGE: N_("Unknown language; choose one of: {languages}."),
    C.SURVEY_NOT_FOUND: N_("This survey no longer exists."),
    C.COMPLAINT_NOT_FOUND: N_("This complaint no longer exists."),
    C.OWNER_TEXT_NOT_FOUND: N_("This question is no longer valid. Please send your message "
                               "again."),
    C.RECORD_NOT_FOUND: N_("No such record: {id}."),
    C.APPEAL_NOT_FOUND: N_("No such appeal: #{id}."),
    C.AGENT_NOT_FOUND: N_("No such agent: {id}."),
    C.MANAGER_NOT_FOUND: N_("No such manager: {id}."),
    C.MANAGER_EXISTS: N_("{name} is already a manager with this scope (manager {id})."),
    C.COMMUNITY_NOT_FOUND: N_("No such community: {id}."),
    C.WORK_ORDER_NOT_FOUND: N_("No such work order: {id}."),
    C.NOT_YOUR_SURVEY: N_("This survey belongs to someone else."),
    C.SURVEY_SUBMITTED: N_("This survey was already submitted. Thank you!"),
    C.SURVEY_EXPIRED: N_("This survey has expired and can no longer be answered."),
    C.UNKNOWN_QUESTION: INVALID_BUTTON,
    C.RATING_OUT_OF_RANGE: INVALID_BUTTON,
    C.ANSWERS_MISSING: INVALID_BUTTON,
    C.COMMENT_EMPTY: N_("Sorry, that message is empty."),
    C.COMMENT_TOO_LONG: N_("Sorry, that message is too long. Please keep your comment under "
                           "{limit} characters."),
    C.COMPLAINT_NOT_YOURS: N_("This complaint is not assigned to you."),
    C.NOT_AN_AGENT: N_("Sorry, this command is for agents only."),
    C.FOLLOW_UP_NOT_OWNER: N_("This question is for the owner who complained."),
    C.FOLLOW_UP_STALE: N_("This follow-up is out of date; please answer the latest one."),
    C.FOLLOW_UP_ESCALATED: N_("This follow-up is out of date: your complaint was escalated "
                              "and is being handled again; we will ask you once more when it "
                              "is resolved."),
    C.COMPLAINT_CLOSED: N_("This complaint is already closed."),
    C.COMPLAINT_EMPTY: COMPLAINT_LENGTH,
    C.COMPLAINT_TOO_LONG: COMPLAINT_LENGTH,
    C.MESSAGE_EMPTY: N_("Sorry, that message is empty."),
    C.MESSAGE_TOO_LONG: N_("Sorry, that message is too long. Please keep it under {limit} "
                           "characters."),
    C.UNREACHABLE_NOT_STAFF: N_("Sorry, only managers and 回访 staff may close a complaint "
                                "as owner unreachable."),
    C.UNREACHABLE_OTHER_COMMUNITY: N_("Complaint #{id} belongs to another community."),
    C.UNREACHABLE_OWN_COMPLAINT: N_("Complaint #{id} is about your own work: someone else "
                                    "closes it."),
    C.UNREACHABLE_NOT_RESOLVED: N_("Complaint #{id} is not resolved yet ({status}): the agent "
                                   "resolves it first, then the owner is asked."),
    C.UNREACHABLE_WAIT: N_("The owner was asked about complaint #{id} on {asked} and may still "
                           "answer: it can be closed as owner unreachable from {until}."),
    C.NOT_A_MANAGER: N_("Sorry, this command is for managers only."),
    C.NOT_STAFF: N_("Sorry, this command is for agents and managers only."),
    C.APPEAL_NOT_OWN_RECORD: N_("You can only appeal complaints and ratings about your own "
                                "work."),
    C.APPEAL_OTHER_COMMUNITY: N_("This appeal belongs to another community."),
    C.APPEAL_ONE_TARGET: N_("Usage: /appeal ID reason — ID is a complaint number (e.g. 12) or "
                            "R and a response number (e.g. R34)."),
    C.RECORD_VOIDED: N_("This record was voided on appeal; there is nothing left to appeal."),
    C.DUPLICATE_APPEAL: N_("This record already has an appeal waiting for a decision."),
    C.APPEAL_DECIDED: N_("Appeal #{id} was already decided."),
    C.DECISION_INVALID: N_("Sorry, that decision is unknown: uphold or void the record."),
    C.REASON_REQUIRED: N_("Please give a reason in a few words."),
    C.REASON_TOO_LONG: N_("Sorry, the reason is too long. Please keep it under {limit} "
                          "characters."),
    C.UNKNOWN_COMMUNITY: N_("Unknown community: {community}. Add it first "
                            "(ownervoice communities add {community} NAME)."),
    C.UNKNOWN_CATEGORY: N_("Unknown category: {category}. Use one of: {known} (or leave it "
                           "empty to infer it from the title)."),
    C.UNKNOWN_AGENT: N_("Unknown agent: {agent}. Add the agent first, or give the agent's "
                        "name."),
    C.CORRECTION_NOT_ALLOWED: N_("Only the agent of this complaint or a manager overseeing "
                                 "them may correct its tags."),
    C.CORRECTION_NOT_FOUND: N_("This correction no longer exists."),
    C.COMPLAINT_VOIDED: N_("This complaint no longer counts (voided or not a complaint); its "
                           "tags stay as they are."),
    C.LOW_RATING_STAYS: N_("The owner's low rating opened this complaint, so it stays a "
                           "complaint; appeal it if it is unfair."),
    C.CORRECTION_PENDING: N_("A correction of this complaint is already waiting for a manager."),
    C.CORRECTION_DECIDED: N_("This correction was already decided."),
    C.CANNOT_READ: N_("cannot read {path}: the system refused to open it (system error number "
                      "{errno}); nothing was imported"),
    C.FILE_MISSING: N_("there is no file {path}: check the name and folder; nothing was "
                       "imported"),
    C.FILE_IS_FOLDER: N_("{path} is a folder, not a file: give the CSV file itself; nothing "
                         "was imported"),
    C.FILE_DENIED: N_("no permission to read {path}: check the file's permissions; nothing "
                      "was imported"),
    C.FILE_LINK_LOOP: N_("{path} is a symbolic link that loops back on itself: give the CSV "
                         "file itself; nothing was imported"),
    C.FILE_NAME_TOO_LONG: N_("the name of {path} is too long for the system: rename the file "
                             "or move it to a shorter path; nothing was imported"),
    C.ENCODING_REFUSED: N_("the file is not in UTF-8, UTF-16 with a byte-order mark or GB18030 "
                           "(it looks like {encoding}): save it as \"CSV UTF-8\" and import "
                           "it again; nothing was imported"),
    C.MISSING_COLUMNS: N_("the first line must name the columns; missing: {columns}; nothing "
                          "was imported"),
    C.BAD_HEADER: N_("the first line is not a CSV header; nothing was imported"),
    C.CONFLICTING_ORDER: N_("This work order id was already closed for another community or "
                            "owner."),
    C.PERIOD_CLOSED: N_("{label} was already closed by {name} on {when}; its figures are "
                        "final."),
    C.PERIOD_NOT_CYCLE: N_("Only a 考核 period (a month, e.g. 2026-11; or a quarter when so "
                           "configured) can be closed or paid."),
    C.PERIOD_OPEN: N_("{label} has not ended yet; it can be closed after its appeal window."),
    C.PERIOD_IN_REVIEW: N_("{label} is in its appeal window until {when}; it can be closed "
                           "after that."),
    C.PERIOD_NOT_CLOSED: N_("{label} is not closed yet: the payroll file comes from a closed "
                            "period only."),
    C.PERIOD_CLOSE_COMPANY: N_("Closing {label} makes the figures of every community final at "
                               "once, so it is done by a manager responsible for the whole "
                               "company: {names}. You oversee {community} only; its figures "
                               "stay provisional until then."),
    C.PERIOD_CLOSE_ADMIN: N_("Closing {label} makes the figures of every community final at "
                             "once, so it is done by the admin (ownervoice points close "
                             "{label}) or by a manager responsible for the whole company. You "
                             "oversee {community} only; its figures stay provisional until "
                             "then."),
    C.REVIEW_SCOPE: N_("This agent is not in your community."),
    C.REVIEW_NOT_ASSIGNED: N_("You were not asked to review this agent."),
    C.REVIEW_RATING: N_("Ratings are 1 to 5 stars."),
    C.REVIEW_CRITERION: INVALID_BUTTON,
    C.REVIEW_CLOSED: N_("{label} is closed: reviews can no longer change."),
    C.REVIEW_NOT_STARTED: N_("{label} has not begun: it cannot be reviewed yet."),
    C.REVIEWER_INACTIVE: N_("Sorry, you may not review now."),
    C.NOT_REVISIT_STAFF: N_("Sorry, only 回访 staff and managers may record a 回访."),
    C.REVISIT_OTHER_COMMUNITY: N_("Work order {id} belongs to another community; you may "
                                  "record 回访 only for your own communities."),
    C.REVISIT_OWN_ORDER: N_("Work order {id} is credited to you: a 回访 of your own order must "
                            "be recorded by someone else."),
    C.REVISIT_ANSWERED: N_("Work order {id} already has an answer; a 回访 never replaces it."),
    C.REVISIT_STILL_OPEN: N_("The survey of work order {id} is still open in Telegram; record a "
                             "回访 after it expires."),
    C.REVISIT_OPTED_OUT: N_("The owner of work order {id} asked for no surveys; no 回访 is "
                            "recorded."),
    C.REVISIT_CHANNEL: N_("The 回访 channel must be one of: {channels}."),
    C.REVISIT_RATING: N_("The rating for {question} must be a whole number from 1 to 5 (got "
                         "“{value}”)."),
    C.REVISITOR_UNKNOWN: N_("No active 回访 staff or manager is called “{staff}”."),
    C.REVISITOR_MISSING: N_("Who made the 回访 is not given: fill the staff column or pass "
                            "--staff."),
}


def error_text(tr: Translator, exc: DomainError, **values: Field) -> str:
    """Say why the request was refused, in the translator's language."""
    return code_text(tr, exc.code, {**exc.fields, **values})


def code_text(tr: Translator, code: ErrorCode, fields: Mapping[str, Field]) -> str:
    """Say a refusal with this code and these fields, in the translator's language."""
    text = tr._(MESSAGES[code])
    if code is C.UNKNOWN_CATEGORY and fields.get("known"):
        # The codes the error carries are the company's list: the reader gets its names.
        known = ", ".join(category_text(tr, c) for c in str(fields["known"]).split(", "))
        fields = {**fields, "known": known}
    # A placeholder the error does not carry stays empty rather than failing the reply.
    names = {name for _, name, _, _ in Formatter().parse(text) if name}
    return text.format(**{name: _shown(fields.get(name)) for name in names})


def _shown(value: Field) -> str:
    return "" if value is None else str(value)
