"""Fault injection: make the next calls of a method fail, hang or lose their connection."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Literal

FaultKind = Literal["status", "retry_after", "delay", "drop", "drop_after", "garbled",
                    "not_json", "proxy_page", "redirect", "ok_false", "reverse", "twice"]
KINDS = ("status", "retry_after", "delay", "drop", "drop_after", "garbled", "not_json",
         "proxy_page", "redirect", "ok_false", "reverse", "twice")


@dataclass
class Fault:
    """What the next `count` calls of a method suffer.

    status: answer HTTP `status` (500/502...) without running the method, in Telegram's
    shape; `description` replaces the reason phrase, so any refusal Telegram words can be
    played (403 "Forbidden: user is deactivated", 400 "Bad Request: chat not found"...);
    proxy_page: answer HTTP `status` with an HTML page, not JSON, without running the method
    (a reverse proxy or load balancer in front of the Bot API: nothing was sent);
    ok_false: answer HTTP 200 with Telegram's error body for `status` (`"ok": false`, its
    error_code, `description`, and `retry_after` when status is 429) without running the
    method, as some Bot API servers and gateways do;
    redirect: answer 302 to the same URL without running the method (a misconfigured proxy's
    loop: a client that follows redirects gives up after a few, nothing was sent);
    retry_after: answer 429 with `retry_after`; delay: wait `delay` seconds, then run;
    drop: close the connection without running; drop_after: run, then close the connection
    without answering (the bot cannot know that its message was sent); garbled: run, then
    answer HTTP 200 `{"ok": true, "result": ...}` with a result of the wrong shape; not_json:
    run, then answer HTTP 200 with a body that is not JSON (a proxy's page). After the last
    two the message was sent, but the bot cannot read the answer.
    For getUpdates (any method answering a list): reverse: run, then answer the updates newest
    first; twice: run, then answer every update twice (the copies after the batch). A Bot API
    server of another make, or one replaying its queue after a restart, may do either: the
    offset the bot confirms then leaves some updates to come once more.
    """

    kind: FaultKind
    count: int = 1
    status: int = 502
    retry_after: int = 1
    delay: float = 1.0
    description: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the fault as JSON."""
        return {"kind": self.kind, "count": self.count, "status": self.status,
                "retry_after": self.retry_after, "delay": self.delay,
                "description": self.description}


@dataclass
class FaultInjector:
    """Faults queued per lower-case method name ('*' matches every method)."""

    faults: dict[str, deque[Fault]] = field(default_factory=dict)

    def add(self, method: str, fault: Fault) -> None:
        """Queue a fault for a method."""
        if fault.kind not in KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}; use one of {KINDS}")
        self.faults.setdefault(method.lower(), deque()).append(fault)

    def take(self, method: str) -> Fault | None:
        """Consume one occurrence of the first fault queued for this method."""
        for key in (method.lower(), "*"):
            queue = self.faults.get(key)
            if queue:
                fault = queue[0]
                fault.count -= 1
                if fault.count <= 0:
                    queue.popleft()
                return fault
        return None

    def clear(self) -> None:
        """Forget every queued fault."""
        self.faults.clear()

    def to_json(self) -> dict[str, list[dict[str, Any]]]:
        """Return the queued faults as JSON."""
        return {key: [f.to_json() for f in queue] for key, queue in self.faults.items() if queue}
