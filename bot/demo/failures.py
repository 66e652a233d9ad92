"""Why the demo itself stopped: a code per failure, each worded by a catalog message.

A demo step that cannot go on raises `DemoFailed(code, **fields)`; the runner adds the step
it was in, and the CLI prints `failure_text` in the terminal's language (one line, exit 2).
`str(exc)` is the English detail for `ownervoice -v demo` only.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from bot.i18n import N_, Translator

Field = str | int | float | None


class DemoFailure(StrEnum):
    """Every way the demo can fail to go on (the fields its message names)."""

    NO_ANSWER = "demo_no_answer"  # who, seconds
    NO_MESSAGE = "demo_no_message"  # who, text, seconds
    NO_FILE = "demo_no_file"  # who, seconds
    NO_BUTTON = "demo_no_button"  # who, label
    MESSAGE_GONE = "demo_message_gone"  # who
    OUTBOX_STUCK = "demo_outbox_stuck"  # seconds
    INTAKE_REFUSED = "demo_intake_refused"  # order, status
    STEP_BROKE = "demo_step_broke"  # no values: -v shows the exception, its name helps nobody


MESSAGES: Mapping[DemoFailure, str] = {
    DemoFailure.NO_ANSWER: N_("the bot did not answer {who} within {seconds} s"),
    DemoFailure.NO_MESSAGE: N_("{who} did not get the message with “{text}” within "
                               "{seconds} s"),
    DemoFailure.NO_FILE: N_("{who} did not get the file from the bot within {seconds} s"),
    DemoFailure.NO_BUTTON: N_("{who} found no button “{label}” on the bot's message"),
    DemoFailure.MESSAGE_GONE: N_("the bot's message that {who} was to tap is gone"),
    DemoFailure.OUTBOX_STUCK: N_("the bot still had messages to send after {seconds} s"),
    DemoFailure.INTAKE_REFUSED: N_("the intake API answered HTTP {status} to the close of "
                                   "{order}"),
    DemoFailure.STEP_BROKE: N_("the step failed unexpectedly"),
}


class DemoFailed(Exception):
    """The demo could not go on; `step` is the number and title (a msgid) of its step."""

    def __init__(self, code: DemoFailure, **fields: Field) -> None:
        super().__init__(f"{code}: {fields}")
        self.code = code
        self.fields = fields
        self.step: tuple[int, str] | None = None


def failure_text(tr: Translator, failure: DemoFailed) -> str:
    """Say in the reader's language why the demo stopped (the step's title not included)."""
    return tr._(MESSAGES[failure.code], **failure.fields)
