"""Domain errors; `bot/` turns each into a polite message in the user's language."""

from __future__ import annotations


class DomainError(Exception):
    """Base class of every error a person can cause."""


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to the asker)."""


class NotBound(DomainError):
    """The Telegram user is not bound to any owner, agent or manager."""


class UnknownPhone(DomainError):
    """No owner has the shared phone number."""


class ForgedContact(DomainError):
    """A shared contact is not the sender's own."""


class InvalidInvite(DomainError):
    """The invite link is unknown, forged, expired or already used."""


class NotYourSurvey(DomainError):
    """Someone tapped a survey that belongs to another owner."""


class SurveyClosed(DomainError):
    """The survey was already submitted or has expired."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


class InvalidAnswer(DomainError):
    """A rating outside 1-5, an unknown question, or an unusable comment."""


class Forbidden(DomainError):
    """The role may not do this."""


class InvalidInput(DomainError):
    """Intake data that cannot be accepted; the message says why."""


class InvalidTransition(DomainError):
    """A complaint or appeal is not in a state that allows this action."""

    def __init__(self, action: str, status: str) -> None:
        super().__init__(f"cannot {action} when {status}")
        self.action = action
        self.status = status


class DuplicateAppeal(DomainError):
    """The record already has an appeal awaiting a decision."""


class AppealAlreadyDecided(DomainError):
    """The appeal was decided before; a decision is final."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


class CorrectionPending(DomainError):
    """Another correction of this complaint's tags is waiting for a manager."""


class CorrectionDecided(DomainError):
    """The tag correction was confirmed, rejected or superseded before; it is final."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status
