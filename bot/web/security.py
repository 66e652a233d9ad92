"""The web page's defences: link key, CSRF tokens, security headers, masked tokens in logs.

CSRF: the form carries a nonce (issue time + 12 random bytes) and HMAC(key, link token hash,
nonce). A post is accepted only with a pair this server made for this link in the last
`CSRF_MAX_AGE`; no cookie is needed, and another site cannot make the pair.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Mapping

from aiohttp import web

from surveys.core.pii import mask_link_tokens

CSRF_MAX_AGE = 24 * 3600  # seconds a rendered form stays postable


def link_key(secret: str, bot_token: str) -> bytes:
    """Return the key links are signed with: from invites.secret, else from the bot token."""
    material = ("ownervoice-links:" + secret) if secret else ("ownervoice-links-t:" + bot_token)
    return hashlib.sha256(material.encode()).digest()


def _mac(key: bytes, link_hash: str, nonce: str) -> str:
    digest = hmac.new(key, f"csrf|{link_hash}|{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def new_csrf(key: bytes, link_hash: str, now: float | None = None) -> tuple[str, str]:
    """Return a fresh (nonce, csrf token) pair for one rendered form."""
    issued = int(now if now is not None else time.time())
    nonce = f"{issued}.{base64.urlsafe_b64encode(secrets.token_bytes(12)).decode()}"
    return nonce, _mac(key, link_hash, nonce)


def check_csrf(key: bytes, link_hash: str, nonce: str, token: str,
               now: float | None = None) -> bool:
    """Tell whether a posted (nonce, token) pair was made here for this link, recently."""
    issued, _, _rest = (nonce or "").partition(".")
    if not (issued.isascii() and issued.isdigit()) or not token:  # not "²³": int() refuses it
        return False
    age = (now if now is not None else time.time()) - int(issued)
    if not 0 <= age <= CSRF_MAX_AGE:
        return False
    return hmac.compare_digest(token.encode(), _mac(key, link_hash, nonce).encode())


def style_hash(css: str) -> str:
    """Return the CSP source that allows exactly this inline style block."""
    digest = hashlib.sha256(css.encode()).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


def security_headers(css_source: str, locale: str) -> Mapping[str, str]:
    """Return the headers every page carries: no scripts, no framing, no referrer, no cache."""
    return {
        "Content-Security-Policy": (
            f"default-src 'none'; style-src {css_source}; img-src data:; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        ),
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Cache-Control": "no-store",
        "Content-Language": locale.replace("_", "-"),
    }


class LinkTokenFilter(logging.Filter):
    """Mask link tokens in records of a logger (aiohttp's access log writes the path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_link_tokens(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def install_log_masking() -> None:
    """Mask link tokens in aiohttp's access log (once per process)."""
    access = logging.getLogger("aiohttp.access")
    if not any(isinstance(f, LinkTokenFilter) for f in access.filters):
        access.addFilter(LinkTokenFilter())


def client_address(request: web.Request, trust_forwarded_for: bool) -> str:
    """Return the client's address: the peer, or the last X-Forwarded-For hop behind a proxy."""
    if trust_forwarded_for:
        hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",")]
        if hops and hops[-1]:
            return hops[-1][:64]
    return request.remote or "-"
