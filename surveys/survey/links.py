"""Signed web links to surveys, for owners the property company reaches by SMS or WeChat.

A link is `<base_url>/s/<token>`, token = nonce (16 random bytes) + HMAC-SHA256(key, survey id
and nonce), both URL-safe base64 without padding (44 characters). The database keeps only the
token's SHA-256 and the nonce: a copy of the database does not give the links, while the key
(from the configuration) lets `ownervoice surveys links` give the same link out again.

A link answers while its survey is open and unexpired ("expires with the survey": the
survey's `expires_at` once it was sent, else the link's own, issue time + expire_after_days).
Who gets one: owners not bound in Telegram, and bound owners too when `web.links_for_bound`;
never owners who opted out or were forgotten. Issuing a link for an unbound owner's survey
makes it `sent` (it was offered), so response rates count it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from surveys.core import clock
from surveys.core.config import SurveyConfig, WebConfig
from surveys.core.db import SessionFactory
from surveys.core.ids import require_id
from surveys.models import Owner, Survey, SurveyLink, SurveyStatus, WorkOrder
from surveys.survey.answers import OPEN_STATUSES_ANY_CHANNEL

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{44}$")
PATH_PREFIX = "/s/"


@dataclass(frozen=True)
class IssuedLink:
    """A survey's link as the property system gets it."""

    survey_id: int
    survey_status: str  # `sent` once a link offered an unbound owner's survey
    url: str
    expires_at: datetime


@dataclass(frozen=True)
class LinkRow:
    """One line of `ownervoice surveys links`: the work order and its survey's link."""

    work_order_external_id: str
    survey_id: int
    status: str
    owner_bound: bool
    url: str
    expires_at: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def token_for(key: bytes, survey_id: int, nonce: str) -> str:
    """Return the token of a survey's link from its nonce (the same key gives the same token)."""
    mac = hmac.new(key, f"survey-link:{survey_id}:{nonce}".encode(), hashlib.sha256).digest()
    return nonce + _b64(mac[:16])


def token_hash(token: str) -> str:
    """Return the stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def link_url(base_url: str, token: str) -> str:
    """Return the public URL of a token."""
    return base_url.rstrip("/") + PATH_PREFIX + token


def is_bound(owner: Owner) -> bool:
    """Tell whether the owner can get surveys in Telegram."""
    return owner.chat_id is not None and owner.telegram_user_id is not None


def expiry(link: SurveyLink, survey: Survey) -> datetime:
    """Return when a link stops answering: with its survey once sent, else its own time."""
    return survey.expires_at or link.expires_at


async def _eligible(s: AsyncSession, survey: Survey, config: WebConfig,
                    survey_config: SurveyConfig, now: datetime) -> bool:
    owner = await s.get(Owner, survey.owner_id)
    if owner is None or owner.opted_out or owner.forgotten_at is not None:
        return False
    if is_bound(owner) and not config.links_for_bound:
        return False
    if survey.status not in OPEN_STATUSES_ANY_CHANNEL:
        return False
    if survey.expires_at is not None and survey.expires_at <= now:
        return False
    # An order closed long ago (before links were enabled) is not reopened.
    return survey.created_at + timedelta(days=survey_config.expire_after_days) > now


async def _issue(s: AsyncSession, survey: Survey, *, key: bytes, config: WebConfig,
                 survey_config: SurveyConfig, now: datetime) -> SurveyLink | None:
    link = (await s.exec(select(SurveyLink).where(SurveyLink.survey_id == survey.id))).first()
    if link is not None or not await _eligible(s, survey, config, survey_config, now):
        return link
    ttl = timedelta(days=survey_config.expire_after_days)
    if survey.status == SurveyStatus.SKIPPED_UNBOUND:
        # Offered on the web: the survey is out now and expires like a chat survey would.
        survey.status, survey.sent_at, survey.expires_at = SurveyStatus.SENT, now, now + ttl
        s.add(survey)
    nonce = _b64(secrets.token_bytes(16))
    survey_id: int = survey.id  # type: ignore[assignment]
    link = SurveyLink(survey_id=survey_id, token_hash=token_hash(token_for(key, survey_id, nonce)),
                      nonce=nonce, created_at=now, expires_at=survey.expires_at or now + ttl)
    s.add(link)
    await s.flush()
    return link


def _issued(key: bytes, config: WebConfig, survey: Survey, link: SurveyLink) -> IssuedLink:
    token = token_for(key, link.survey_id, link.nonce)
    return IssuedLink(survey_id=link.survey_id, survey_status=survey.status,
                      url=link_url(config.base_url, token), expires_at=expiry(link, survey))


async def ensure_link(
    *, db: SessionFactory, key: bytes, survey_id: int, config: WebConfig,
    survey_config: SurveyConfig,
) -> IssuedLink | None:
    """Return the survey's link, issuing it first if the survey may have one; else None."""
    if not config.enabled:
        return None
    for attempt in range(2):
        try:
            async with db() as s, s.begin():
                survey = await s.get(Survey, survey_id)
                if survey is None:
                    return None
                link = await _issue(s, survey, key=key, config=config,
                                    survey_config=survey_config, now=clock.now())
                return _issued(key, config, survey, link) if link is not None else None
        except IntegrityError:
            if attempt:  # a concurrent call issued it first: the second pass reads that one
                raise
    raise AssertionError("unreachable")


async def list_links(
    *, db: SessionFactory, key: bytes, since: datetime, config: WebConfig,
    survey_config: SurveyConfig,
) -> list[LinkRow]:
    """Issue missing links for surveys created since `since`, then list every open link."""
    async with db() as s:
        ids = list((await s.exec(
            select(Survey.id).where(col(Survey.created_at) >= since,
                                    col(Survey.status).in_(OPEN_STATUSES_ANY_CHANNEL))
            .order_by(col(Survey.id))
        )).all())
    for survey_id in (i for i in ids if i is not None):  # a selected id is never NULL
        await ensure_link(db=db, key=key, survey_id=survey_id,
                          config=config, survey_config=survey_config)
    now = clock.now()
    async with db() as s:
        rows = (await s.exec(
            select(SurveyLink, Survey, WorkOrder, Owner)
            .join(Survey, col(Survey.id) == col(SurveyLink.survey_id))
            .join(WorkOrder, col(WorkOrder.id) == col(Survey.work_order_id))
            .join(Owner, col(Owner.id) == col(Survey.owner_id))
            .where(col(Survey.created_at) >= since,
                   col(Survey.status).in_(OPEN_STATUSES_ANY_CHANNEL))
            .order_by(col(Survey.id))
        )).all()
    return [
        LinkRow(work_order_external_id=order.external_id, survey_id=require_id(survey),
                status=survey.status, owner_bound=is_bound(owner),
                url=_issued(key, config, survey, link).url, expires_at=expiry(link, survey))
        for link, survey, order, owner in rows
        if expiry(link, survey) > now and not owner.opted_out and owner.forgotten_at is None
    ]
