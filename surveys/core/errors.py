"""Domain errors, each with a stable code and the fields its message needs.

`bot/render/errors.py` is the one table that turns a code into words in the reader's
language; `str(exc)` is English detail for logs and the intake API only, never for a chat.
"""

from __future__ import annotations

import errno
from enum import StrEnum

Field = str | int | None


class ErrorCode(StrEnum):
    """Every reason a person's request can be refused (stable: tables and clients key on it)."""

    # generic codes of each class, for a raise site that names nothing more precise
    DOMAIN = "domain_error"
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    INVALID_INPUT = "invalid_input"
    INVALID_ANSWER = "invalid_answer"
    INVALID_TRANSITION = "invalid_transition"
    # people and binding
    NOT_BOUND = "not_bound"
    UNKNOWN_PHONE = "unknown_phone"
    PHONE_BOUND_ELSEWHERE = "phone_bound_elsewhere"  # its homes belong to another account
    FORGED_CONTACT = "forged_contact"
    INVALID_INVITE = "invalid_invite"
    INVITE_SECRET_MISSING = "invite_secret_missing"
    INVALID_PHONE = "invalid_phone"
    INVALID_NAME = "invalid_name"  # fields: what, max
    UNKNOWN_LANGUAGE = "unknown_language"  # fields: languages
    # not found (field: id)
    SURVEY_NOT_FOUND = "survey_not_found"
    COMPLAINT_NOT_FOUND = "complaint_not_found"
    OWNER_TEXT_NOT_FOUND = "owner_text_not_found"  # a "register as a complaint?" question
    RECORD_NOT_FOUND = "record_not_found"  # an appealed complaint or response (id: C12, R34)
    APPEAL_NOT_FOUND = "appeal_not_found"
    AGENT_NOT_FOUND = "agent_not_found"
    MANAGER_NOT_FOUND = "manager_not_found"
    MANAGER_EXISTS = "manager_exists"  # fields: id, name
    COMMUNITY_NOT_FOUND = "community_not_found"
    WORK_ORDER_NOT_FOUND = "work_order_not_found"
    # surveys
    NOT_YOUR_SURVEY = "not_your_survey"
    SURVEY_SUBMITTED = "survey_submitted"
    SURVEY_EXPIRED = "survey_expired"
    UNKNOWN_QUESTION = "unknown_question"
    RATING_OUT_OF_RANGE = "rating_out_of_range"
    ANSWERS_MISSING = "answers_missing"
    COMMENT_EMPTY = "comment_empty"
    COMMENT_TOO_LONG = "comment_too_long"  # fields: limit
    # complaints
    COMPLAINT_NOT_YOURS = "complaint_not_yours"
    NOT_AN_AGENT = "not_an_agent"
    FOLLOW_UP_NOT_OWNER = "follow_up_not_owner"
    FOLLOW_UP_STALE = "follow_up_stale"  # an earlier round's follow-up; fields: action, status
    FOLLOW_UP_ESCALATED = "follow_up_escalated"  # likewise, while escalated (no newer one yet)
    COMPLAINT_CLOSED = "complaint_closed"  # fields: action, status
    COMPLAINT_EMPTY = "complaint_empty"
    COMPLAINT_TOO_LONG = "complaint_too_long"  # fields: limit
    MESSAGE_EMPTY = "message_empty"
    # closing a complaint as "owner unreachable" (surveys.complaints.unreachable_close; id)
    UNREACHABLE_NOT_STAFF = "unreachable_not_staff"
    UNREACHABLE_OTHER_COMMUNITY = "unreachable_other_community"
    UNREACHABLE_OWN_COMPLAINT = "unreachable_own_complaint"
    UNREACHABLE_NOT_RESOLVED = "unreachable_not_resolved"  # fields: id, status
    UNREACHABLE_WAIT = "unreachable_wait"  # fields: id, asked, until (the caller's local time)
    MESSAGE_TOO_LONG = "message_too_long"  # fields: limit
    # appeals
    NOT_A_MANAGER = "not_a_manager"
    NOT_STAFF = "not_staff"
    APPEAL_NOT_OWN_RECORD = "appeal_not_own_record"
    APPEAL_OTHER_COMMUNITY = "appeal_other_community"
    APPEAL_ONE_TARGET = "appeal_one_target"
    RECORD_VOIDED = "record_voided"  # fields: action, status
    DUPLICATE_APPEAL = "duplicate_appeal"
    APPEAL_DECIDED = "appeal_decided"  # fields: status
    DECISION_INVALID = "decision_invalid"
    REASON_REQUIRED = "reason_required"
    REASON_TOO_LONG = "reason_too_long"  # fields: limit
    # tag corrections
    CORRECTION_NOT_ALLOWED = "correction_not_allowed"
    CORRECTION_NOT_FOUND = "correction_not_found"
    COMPLAINT_VOIDED = "complaint_voided"  # fields: action, status
    LOW_RATING_STAYS = "low_rating_stays"
    CORRECTION_PENDING = "correction_pending"
    CORRECTION_DECIDED = "correction_decided"  # fields: status
    # intake (work orders, and a CSV file refused whole)
    UNKNOWN_COMMUNITY = "unknown_community"  # fields: community
    UNKNOWN_AGENT = "unknown_agent"  # fields: agent
    UNKNOWN_CATEGORY = "unknown_category"  # fields: category, known
    CONFLICTING_ORDER = "conflicting_order"
    CANNOT_READ = "cannot_read"  # fields: path, errno (a rarer refusal: its number)
    FILE_MISSING = "file_missing"  # fields: path
    FILE_IS_FOLDER = "file_is_folder"  # fields: path
    FILE_DENIED = "file_denied"  # fields: path
    FILE_LINK_LOOP = "file_link_loop"  # fields: path
    FILE_NAME_TOO_LONG = "file_name_too_long"  # fields: path
    ENCODING_REFUSED = "encoding_refused"  # fields: encoding
    MISSING_COLUMNS = "missing_columns"  # fields: columns
    BAD_HEADER = "bad_header"
    # the 考核 cycle and reviews (surveys.assessment.errors)
    PERIOD_CLOSED = "period_closed"  # fields: label, name, when (the caller's local time)
    PERIOD_NOT_CYCLE = "period_not_cycle"  # fields: label
    PERIOD_OPEN = "period_open"  # fields: label
    PERIOD_IN_REVIEW = "period_in_review"  # fields: label, when (the caller's local time)
    PERIOD_NOT_CLOSED = "period_not_closed"  # fields: label
    # a community manager's /close: fields label, community, names (who may close it)
    PERIOD_CLOSE_COMPANY = "period_close_company"
    PERIOD_CLOSE_ADMIN = "period_close_admin"  # no company-wide manager: the admin's CLI
    REVIEW_SCOPE = "review_scope"
    REVIEW_NOT_ASSIGNED = "review_not_assigned"
    REVIEW_RATING = "review_rating"
    REVIEW_CRITERION = "review_criterion"
    REVIEW_CLOSED = "review_closed"
    REVIEW_NOT_STARTED = "review_not_started"
    REVIEWER_INACTIVE = "reviewer_inactive"
    # staff-entered 回访 (surveys.survey.revisits; field id: the work order)
    NOT_REVISIT_STAFF = "not_revisit_staff"
    REVISIT_OTHER_COMMUNITY = "revisit_other_community"
    REVISIT_OWN_ORDER = "revisit_own_order"
    REVISIT_ANSWERED = "revisit_answered"  # fields: id, channel
    REVISIT_STILL_OPEN = "revisit_still_open"
    REVISIT_OPTED_OUT = "revisit_opted_out"
    REVISIT_CHANNEL = "revisit_channel"  # fields: channels
    REVISIT_RATING = "revisit_rating"  # fields: question, value
    REVISITOR_UNKNOWN = "revisitor_unknown"  # fields: staff
    REVISITOR_MISSING = "revisitor_missing"  # a CSV row names nobody and there is no --staff


class DomainError(Exception):
    """Base class of every error a person can cause: a code, its fields, English detail."""

    code: ErrorCode = ErrorCode.DOMAIN

    def __init_subclass__(cls, *, code: ErrorCode | None = None) -> None:
        # `class NotFound(DomainError, code=ErrorCode.NOT_FOUND)`: the class's generic code.
        super().__init_subclass__()
        if code is not None:
            cls.code = code

    def __init__(self, detail: str = "", *, code: ErrorCode | None = None,
                 **fields: Field) -> None:
        super().__init__(detail or str(code or self.code))
        if code is not None:
            self.code = code
        self.fields: dict[str, Field] = fields


class NotFound(DomainError, code=ErrorCode.NOT_FOUND):
    """The thing asked for does not exist (or is not visible to the asker)."""


class NotBound(DomainError, code=ErrorCode.NOT_BOUND):
    """The Telegram user is not bound to any owner, agent or manager."""


class UnknownPhone(DomainError, code=ErrorCode.UNKNOWN_PHONE):
    """No owner has the shared phone number."""


class PhoneBoundElsewhere(DomainError, code=ErrorCode.PHONE_BOUND_ELSEWHERE):
    """Every home with the shared phone is bound to another Telegram account."""


class ForgedContact(DomainError, code=ErrorCode.FORGED_CONTACT):
    """A shared contact is not the sender's own."""


class InvalidInvite(DomainError, code=ErrorCode.INVALID_INVITE):
    """The invite link is unknown, forged, expired or already used."""


class NotYourSurvey(DomainError, code=ErrorCode.NOT_YOUR_SURVEY):
    """Someone tapped a survey that belongs to another owner."""


class SurveyClosed(DomainError):
    """The survey was already submitted or has expired."""

    def __init__(self, status: str) -> None:
        code = ErrorCode.SURVEY_SUBMITTED if status == "submitted" else ErrorCode.SURVEY_EXPIRED
        super().__init__(status, code=code, status=status)
        self.status = status


class InvalidAnswer(DomainError, code=ErrorCode.INVALID_ANSWER):
    """A rating outside 1-5, an unknown question, or an unusable comment."""


class Forbidden(DomainError, code=ErrorCode.FORBIDDEN):
    """The role may not do this."""


class InvalidInput(DomainError, code=ErrorCode.INVALID_INPUT):
    """Data that cannot be accepted; the code says why."""


class InvalidTransition(DomainError, code=ErrorCode.INVALID_TRANSITION):
    """A complaint or appeal is not in a state that allows this action."""

    def __init__(self, action: str, status: str, *, code: ErrorCode | None = None) -> None:
        super().__init__(f"cannot {action} when {status}", code=code, action=action,
                         status=status)
        self.action = action
        self.status = status


class DuplicateAppeal(DomainError, code=ErrorCode.DUPLICATE_APPEAL):
    """The record already has an appeal awaiting a decision."""


class AppealAlreadyDecided(DomainError, code=ErrorCode.APPEAL_DECIDED):
    """The appeal was decided before; a decision is final."""

    def __init__(self, status: str, *, appeal_id: int | None = None) -> None:
        super().__init__(status, status=status, id=appeal_id)
        self.status = status


class CorrectionPending(DomainError, code=ErrorCode.CORRECTION_PENDING):
    """Another correction of this complaint's tags is waiting for a manager."""


class CorrectionDecided(DomainError, code=ErrorCode.CORRECTION_DECIDED):
    """The tag correction was confirmed, rejected or superseded before; it is final."""

    def __init__(self, status: str) -> None:
        super().__init__(status, status=status)
        self.status = status


def unreadable_file(exc: OSError) -> tuple[ErrorCode, dict[str, int]]:
    """Name why the system would not open a file for reading: a code and its fields.

    The system's own words (`strerror`) are English whatever the reader's language: a rarer
    refusal is given by its number, which the message table puts in the reader's words.
    """
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):  # ENOTDIR: a file as folder
        return ErrorCode.FILE_MISSING, {}
    if isinstance(exc, IsADirectoryError):
        return ErrorCode.FILE_IS_FOLDER, {}
    if isinstance(exc, PermissionError):
        return ErrorCode.FILE_DENIED, {}
    if exc.errno == errno.ELOOP:
        return ErrorCode.FILE_LINK_LOOP, {}
    if exc.errno == errno.ENAMETOOLONG:
        return ErrorCode.FILE_NAME_TOO_LONG, {}
    return ErrorCode.CANNOT_READ, {"errno": exc.errno or 0}
