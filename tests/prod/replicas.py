"""Helpers to run bot replicas as real processes against one database and the emulator."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from tests.fixtures.chat import TOKEN

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """Return a TCP port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Replica:
    """One `python -m tests.prod.replica_main URL` process."""

    name: str
    port: int
    env: dict[str, str]
    hook_url: str
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0

    def start(self) -> None:
        """Launch the process (again, after a kill)."""
        self.starts += 1
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.prod.replica_main", self.hook_url],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()

    def kill(self) -> None:
        """kill -9: no chance to clean up."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self, timeout: float = 30) -> int | None:
        """SIGTERM and wait (graceful drain); return the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        return self.proc.returncode

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def ready(self, timeout: float = 60) -> None:  # noqa: ASYNC109
        """Wait until /readyz answers 200."""
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as http:
            while True:
                assert self.proc is not None
                if self.proc.poll() is not None:
                    raise AssertionError(f"{self.name} exited: {self.log_tail()}")
                try:
                    async with http.get(
                        f"{self.base}/readyz", timeout=aiohttp.ClientTimeout(2)
                    ) as r:
                        if r.status == 200:
                            return
                except (aiohttp.ClientError, TimeoutError):
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{self.name} not ready: {self.log_tail()}")
                await asyncio.sleep(0.2)

    def runtimes(self) -> list[str]:
        """Return the chat runtime each start of this replica served its webhook with."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return re.findall(r"webhook server on \S+ \(path \S+, (\w+) runtime\)", text)

    def log_tail(self, lines: int = 40) -> str:
        """Return the end of the process's log."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@dataclass
class Fleet:
    """Several replicas sharing one database and one emulator."""

    replicas: list[Replica] = field(default_factory=list)

    async def start(self) -> None:
        for replica in self.replicas:
            replica.start()
        await asyncio.gather(*(r.ready() for r in self.replicas))

    def stop(self) -> None:
        for replica in self.replicas:
            replica.stop()


def fleet(
    *,
    count: int,
    db_url: str,
    api_base: str,
    tmp: Path,
    hook_owner: int = 0,
    extra_env: dict[str, Any] | None = None,
    runtime: str = "aiogram",
) -> Fleet:
    """Describe `count` replicas on a chat runtime; each registers `hook_owner`'s webhook."""
    ports = [free_port() for _ in range(count)]
    hook = f"http://127.0.0.1:{ports[hook_owner]}/telegram/webhook"
    base_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("OWNERVOICE_") or k.startswith("OWNERVOICE_TEST_")
    }
    (tmp / "empty.toml").write_text("", encoding="utf-8")  # settings from the variables alone
    base_env.update(
        OWNERVOICE_CONFIG=str(tmp / "empty.toml"),
        OWNERVOICE_TELEGRAM__TOKEN=TOKEN,
        OWNERVOICE_TELEGRAM__API_BASE=api_base,
        OWNERVOICE_DATABASE__URL=db_url,
        OWNERVOICE_RUNTIME=runtime,
        OWNERVOICE_API__HOST="127.0.0.1",
        OWNERVOICE_API__TOKEN="test-api-token",
        OWNERVOICE_INVITES__SECRET="test-invite-secret",
        OWNERVOICE_DISPATCH__TICK_SECONDS="0.2",
        OWNERVOICE_DISPATCH__LEASE_SECONDS="5",
        OWNERVOICE_DISPATCH__PER_CHAT_INTERVAL_SECONDS="0.05",
        OWNERVOICE_LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    for key, value in (extra_env or {}).items():
        base_env[key] = str(value)
    return Fleet(
        [
            Replica(
                name=f"replica-{i}",
                port=port,
                env={**base_env, "OWNERVOICE_API__PORT": str(port)},
                hook_url=hook,
                log_path=tmp / f"replica-{i}.log",
            )
            for i, port in enumerate(ports)
        ]
    )
