"""Fuzz the update parser with random JSON shapes on both frameworks.

The documented failure is the framework's own refusal to build an Update from a malformed
body (aiogram: pydantic `ValidationError`; PTB: its `de_json` error). Whatever the framework
accepts, `bot.runtime.parse` turns into an `Event` or None and never raises.
"""

from __future__ import annotations

from typing import Any

from aiogram.types import Update as AiogramUpdate
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from telegram import Update as PtbUpdate

from bot.aiogram_app.updates import callback_to_event, message_to_event
from bot.conversation.actions import Inbound
from bot.ptb_app.updates import to_event
from bot.runtime.events import Event, message_event, split_command

# Text as JSON can carry it: RTL and zero-width marks, ZWJ emoji, NUL, lone surrogates.
WEIRD = st.sampled_from(["\u200f", "\u200e", "\u200b", "\ufeff", "👨‍👩‍👧‍👦", "\x00", "\ud800",
                         "\udfff", "/", "@", " ", "\n", "/start", "@bot", "٣", "１"])
TEXT = st.lists(st.one_of(WEIRD, st.text(max_size=8)), max_size=8).map("".join)
INTS = st.one_of(st.integers(-2**63, 2**63), st.sampled_from([0, -1, 2**31, 2**64]))
SCALAR = st.one_of(st.none(), st.booleans(), INTS, TEXT, st.floats(allow_nan=False))


ID = st.integers(-2**52, 2**52)


def _shape(required: dict[str, st.SearchStrategy[Any]],
           optional: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Well-formed objects (any subset of the optional fields), or loose ones of any shape."""
    good = st.fixed_dictionaries(required, optional=optional)
    loose = st.fixed_dictionaries({}, optional={
        key: st.one_of(value, SCALAR) for key, value in {**required, **optional}.items()})
    return st.one_of(good, good, good, loose)


USER = _shape({"id": ID, "is_bot": st.booleans(), "first_name": TEXT},
              {"language_code": st.one_of(st.none(), TEXT), "username": TEXT})
CHAT = _shape({"id": ID, "type": st.sampled_from(["private", "group", "supergroup", "channel",
                                                  "sender"])},
              {"title": TEXT, "first_name": TEXT})
CONTACT = _shape({"phone_number": TEXT, "first_name": TEXT},
                 {"user_id": st.one_of(st.none(), ID), "vcard": TEXT})
MESSAGE = _shape({"message_id": ID, "date": st.integers(0, 2**31), "chat": CHAT},
                 {"from": USER, "text": TEXT, "caption": TEXT, "contact": CONTACT,
                  "location": st.just({"latitude": 1.0, "longitude": 2.0}),
                  "sticker": st.just({"file_id": "s", "file_unique_id": "u", "type": "regular",
                                      "width": 1, "height": 1, "is_animated": False,
                                      "is_video": False}),
                  "forward_origin": st.just({"type": "hidden_user", "date": 0,
                                             "sender_user_name": "x"})})
CALLBACK = _shape({"id": TEXT, "from": USER, "chat_instance": TEXT},
                  {"data": TEXT, "inline_message_id": TEXT, "message": MESSAGE})
UPDATE = st.one_of(
    st.builds(lambda kind, body, update_id: {"update_id": update_id, kind: body},
              st.sampled_from(["message", "edited_message", "channel_post"]), MESSAGE, ID),
    st.builds(lambda body, update_id: {"update_id": update_id, "callback_query": body},
              CALLBACK, ID),
    st.builds(lambda kind, body, update_id: {"update_id": update_id, kind: body},
              st.sampled_from(["message", "callback_query", "my_chat_member"]), SCALAR, ID),
)

FUZZ = settings(max_examples=250, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def _check(event: Event | None) -> None:
    if event is None:
        return
    assert isinstance(event, Event)
    assert event.kind in ("command", "contact", "text", "callback", "other")
    assert isinstance(event.who.user_id, int) and isinstance(event.who.chat_id, int)


@FUZZ
@given(UPDATE)
def test_aiogram_updates_parse_or_are_refused_by_pydantic(body: dict[str, Any]) -> None:
    try:
        update = AiogramUpdate.model_validate(body)
    except ValidationError:
        return  # the documented refusal: the webhook answers it, polling never sees one
    if update.message is not None:
        _check(message_to_event(update.message))
    if update.callback_query is not None:
        _check(callback_to_event(update.callback_query))


@FUZZ
@given(UPDATE)
@example({"update_id": 0, "callback_query": {"id": "", "chat_instance": "",  # PTB took it
                                             "from": {"id": None, "is_bot": False}}})
@example({"update_id": 1, "message": {"message_id": 1, "date": 0, "text": "/me",
                                      "chat": {"id": "-100", "type": "group"},
                                      "from": {"id": 5, "is_bot": False, "first_name": "a"}}})
@example({"update_id": 2, "message": {"message_id": None, "date": 0}})  # no chat at all
def test_ptb_updates_parse_or_are_refused_by_de_json(body: dict[str, Any]) -> None:
    try:
        update = PtbUpdate.de_json(body, None)
    except (TypeError, KeyError, ValueError, AttributeError, OverflowError):
        return  # PTB's refusal of a malformed body
    _check(to_event(update))


@FUZZ
@given(TEXT, st.one_of(st.none(), TEXT), st.one_of(st.none(), INTS))
def test_any_text_or_contact_becomes_an_event(text: str, phone: str | None,
                                               contact_user_id: int | None) -> None:
    who = Inbound(user_id=1, chat_id=1, language_code=None)
    event = message_event(who, message_id=1, text=text, phone=phone,
                          contact_user_id=contact_user_id)
    _check(event)
    parsed = split_command(text)
    if parsed is not None:
        command, args = parsed
        assert command and " " not in command and "@" not in command
        assert args == args.strip()
