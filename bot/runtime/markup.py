"""Reply markup as Bot API JSON, decided once for both runtimes.

A new message carries a contact request, else its inline buttons, else a keyboard removal,
else nothing; an edit carries only inline buttons (none removes them). Each adapter turns
the dict into its framework's type (aiogram `model_validate`, PTB `de_json`).
"""

from __future__ import annotations

from typing import Any, Literal

from surveys.outbox.ports import Button, Keyboard, OutgoingMessage

MarkupKind = Literal["inline_keyboard", "keyboard", "remove_keyboard"]
KINDS: tuple[MarkupKind, ...] = ("inline_keyboard", "keyboard", "remove_keyboard")


def _button(button: Button) -> dict[str, Any]:
    data: dict[str, Any] = {"text": button.text}
    if button.callback_data is not None:
        data["callback_data"] = button.callback_data
    if button.url is not None:
        data["url"] = button.url
    return data


def inline_markup(buttons: Keyboard | None) -> dict[str, Any] | None:
    """Return the inline keyboard, or None when there are no buttons."""
    if not buttons:
        return None
    return {"inline_keyboard": [[_button(b) for b in row] for row in buttons]}


def message_markup(message: OutgoingMessage) -> dict[str, Any] | None:
    """Return the markup a new message carries (contact request, inline or removal)."""
    if message.request_contact:
        return {"keyboard": [[{"text": message.request_contact, "request_contact": True}]],
                "resize_keyboard": True, "one_time_keyboard": True}
    if message.buttons:
        return inline_markup(message.buttons)
    if message.remove_reply_keyboard:
        return {"remove_keyboard": True}
    return None


def markup_kind(markup: dict[str, Any]) -> MarkupKind:
    """Name the markup type of a dict built here (its one defining key)."""
    return next(kind for kind in KINDS if kind in markup)

