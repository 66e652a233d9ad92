"""Per-user rate limiting and phone masking in logs."""

from __future__ import annotations

import io
import logging

from bot.conversation.throttle import Throttle
from bot.logging import mask_phones, setup_logging


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_warns_once_then_refills() -> None:
    clock = FakeTime()
    throttle = Throttle(capacity=3, rate=1.0, clock=clock)
    assert [throttle.check(1) for _ in range(3)] == [(True, False)] * 3
    assert throttle.check(1) == (False, True)
    assert throttle.check(1) == (False, False)  # warned already
    assert throttle.check(2) == (True, False)  # other users are not affected
    clock.now += 1.0
    assert throttle.check(1) == (True, False)


def test_phone_numbers_are_masked_in_text() -> None:
    assert mask_phones("owner 13812345678 bound") == "owner 138****5678 bound"
    assert mask_phones("+86 138-1234-5678") == "138****5678"
    assert mask_phones("order 2026111612345678 id") == "order 2026111612345678 id"


def test_log_lines_and_tracebacks_never_show_a_full_phone_number() -> None:
    stream = io.StringIO()
    handler = setup_logging("INFO", stream)
    try:
        log = logging.getLogger("tests.masking")
        log.info("contact %s shared", "13912345678")
        try:
            raise ValueError("unknown phone 13912345678")
        except ValueError:
            log.exception("binding failed")
    finally:
        logging.getLogger().removeHandler(handler)
    output = stream.getvalue()
    assert "13912345678" not in output
    assert output.count("139****5678") == 3
