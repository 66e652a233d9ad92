"""The Monday digest's commands open the week the digest is about, whenever it is read."""

from __future__ import annotations

import re
from datetime import date, datetime

from bot.i18n import translator
from bot.render.summary import render_team_digest
from scoring.periods import parse_period
from surveys.outbox.payloads import TeamDigestPayload

WEEK = {"week": "2026-W47", "first_day": date(2026, 11, 16), "last_day": date(2026, 11, 22)}


def test_the_digests_report_and_export_commands_name_the_digests_week() -> None:
    payload = TeamDigestPayload.of({**WEEK, "community": "阳光花园"})
    read_on = datetime(2026, 11, 23, 1, 0)  # Monday 09:00 in Shanghai, when it is sent
    for locale in ("zh_CN", "en"):
        text = render_team_digest(payload, translator(locale))
        commands = dict(re.findall(r"/(report|export) (\S+?)(?=[ ，,。.]|$)", text))
        assert set(commands) == {"report", "export"}, text
        for name, arg in commands.items():
            assert parse_period(arg, now=read_on).label == "2026-W47", (locale, name, arg)
