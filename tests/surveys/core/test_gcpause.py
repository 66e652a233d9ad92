"""The collector pause around large reads: nested pauses share one, the old state returns."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from surveys.core import gcpause
from surveys.core.gcpause import gc_paused


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()


def test_the_collector_is_off_until_the_last_of_nested_pauses_ends() -> None:
    gc.enable()
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off_after_a_pause() -> None:
    gc.disable()
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_the_collector_comes_back_when_the_read_fails() -> None:
    gc.enable()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("database gone")
    assert gc.isenabled()


class HesitantCollector:
    """The gc module, but its first `disable()` lingers until another thread starts a pause.

    It waits at most a moment: where the other thread cannot start one meanwhile (the pause is
    guarded), the wait just runs out.
    """

    def __init__(self) -> None:
        self.disabled = threading.Event()
        self.other_started = threading.Event()

    def isenabled(self) -> bool:
        return gc.isenabled()

    def disable(self) -> None:
        gc.disable()
        if not self.disabled.is_set():
            self.disabled.set()
            self.other_started.wait(0.3)

    def enable(self) -> None:
        gc.enable()


def test_a_pause_starting_in_another_thread_meanwhile_still_ends_with_the_collector_on(
        monkeypatch: pytest.MonkeyPatch) -> None:
    collector = HesitantCollector()
    monkeypatch.setattr(gcpause, "gc", collector)
    gc.enable()
    seen_on: list[bool] = []

    def first() -> None:
        with gc_paused():
            seen_on.append(gc.isenabled())

    def second() -> None:
        collector.disabled.wait(5)
        with gc_paused():
            collector.other_started.set()
            seen_on.append(gc.isenabled())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen_on == [False, False]  # neither read ran with the collector on
    assert gc.isenabled()  # and it is back on once both ended
