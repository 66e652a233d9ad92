"""Process failures the command line explains in one line (domain errors: surveys.core.errors)."""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web


class PortInUse(Exception):
    """Another process listens on the address a server must serve; `setting` picks another."""

    def __init__(self, host: str, port: int, setting: str) -> None:
        super().__init__(f"{host}:{port} is already in use")
        self.host, self.port, self.setting = host, port, setting


class CannotListen(Exception):
    """The address is not this machine's, or the port is out of range; `setting` fixes it."""

    def __init__(self, host: str, port: int, setting: str) -> None:
        super().__init__(f"cannot listen on {host}:{port}")
        self.host, self.port, self.setting = host, port, setting


async def listen(site: web.TCPSite, *, host: str, port: int, setting: str,
                 address_setting: str | None = None) -> None:
    """Start a site; raise PortInUse when its address is taken, CannotListen when invalid."""
    try:
        await site.start()
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(host, port, setting) from exc
        # An unknown host name (gaierror) or an address of another machine (EADDRNOTAVAIL).
        raise CannotListen(host, port, address_setting or setting) from exc
    except OverflowError as exc:  # the port is not 0-65535
        raise CannotListen(host, port, address_setting or setting) from exc
