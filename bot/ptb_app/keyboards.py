"""Translate plain-data keyboards (`surveys.ports`) into PTB markup."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from surveys.ports import Keyboard, OutgoingMessage

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


def inline_markup(buttons: Keyboard | None) -> InlineKeyboardMarkup | None:
    """Return the inline keyboard, or None when there are no buttons."""
    if not buttons:
        return None
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(b.text, callback_data=b.callback_data, url=b.url) for b in row]
        for row in buttons
    ])


def message_markup(message: OutgoingMessage) -> Markup | None:
    """Return the markup a new message carries (inline, contact request or removal)."""
    if message.request_contact:
        return ReplyKeyboardMarkup(
            [[KeyboardButton(message.request_contact, request_contact=True)]],
            resize_keyboard=True, one_time_keyboard=True,
        )
    if message.buttons:
        return inline_markup(message.buttons)
    if message.remove_reply_keyboard:
        return ReplyKeyboardRemove()
    return None
