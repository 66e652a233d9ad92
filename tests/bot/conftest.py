"""Run every test module that uses the e2e harness (`running_bot`) on both chat runtimes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fixtures import chat


@pytest.fixture(params=chat.RUNTIMES)
def chat_runtime(request: pytest.FixtureRequest) -> Iterator[str]:
    """Make `running_bot` start this runtime (aiogram, then PTB) for the test."""
    previous = chat.set_runtime(request.param)
    yield request.param
    chat.set_runtime(previous)


def pytest_collectstart(collector: pytest.Collector) -> None:
    # A module that imports `running_bot` is an e2e scenario module: parametrize all its
    # tests over the runtimes, so scenarios written later run on both without opting in.
    if not isinstance(collector, pytest.Module):
        return
    try:
        module = collector.obj
    except Exception:
        return  # collecting the module reports the import error properly
    if getattr(module, "running_bot", None) is chat.running_bot:
        collector.add_marker(pytest.mark.usefixtures("chat_runtime"))
