"""Callback data is compact, signed, and refused when tampered with."""

from __future__ import annotations

import pytest

from bot import callbacks
from bot.staff import callbacks as staff_callbacks

KEY = callbacks.derive_secret("secret", "")
OTHER_KEY = callbacks.derive_secret("another secret", "")


def test_star_tap_round_trips_within_telegrams_64_bytes() -> None:
    data = callbacks.rate(KEY, 2_147_483_647, "timeliness", 5)
    assert len(data.encode()) <= 64
    parsed = callbacks.verify(KEY, data)
    assert parsed == callbacks.Callback("r", survey_id=2_147_483_647, question="timeliness",
                                        rating=5)


@pytest.mark.parametrize("tamper", [
    lambda d: d.replace(":5:", ":4:"),
    lambda d: d.replace("r:7:", "r:8:"),
    lambda d: d[:-1] + ("A" if d[-1] != "A" else "B"),
    lambda d: d.rsplit(":", 1)[0],
    lambda d: "x" * 80,
    lambda d: "",
])
def test_tampered_data_is_refused(tamper) -> None:  # type: ignore[no-untyped-def]
    data = callbacks.rate(KEY, 7, "overall", 5)
    assert callbacks.verify(KEY, tamper(data)) is None


def test_data_signed_with_another_key_is_refused() -> None:
    assert callbacks.verify(KEY, callbacks.rate(OTHER_KEY, 7, "overall", 5)) is None


def test_ask_and_skip_callbacks_verify_back_to_their_fields() -> None:
    assert callbacks.verify(KEY, callbacks.ask(KEY, 3, "clarity")) == callbacks.Callback(
        "e", survey_id=3, question="clarity")
    assert callbacks.verify(KEY, callbacks.skip(KEY, 3)) == callbacks.Callback("k", survey_id=3)


def test_empty_secret_derives_a_key_from_the_fallback() -> None:
    assert callbacks.derive_secret("", "token-a") != callbacks.derive_secret("", "token-b")


def test_a_signature_that_is_not_ascii_is_refused_not_raised() -> None:
    key = callbacks.derive_secret("s", "")
    assert callbacks.verify(key, "r:1:o:5:中文中文中文") is None
    assert staff_callbacks.verify(key, "xa:1:中文中文中文") is None
