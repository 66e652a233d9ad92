"""The command menus the roles get (bot/roles.py) speak the reader's language."""

from __future__ import annotations

import re

from bot.i18n import translator
from bot.roles import MANAGER_COMMANDS
from scoring.periods import parse_period


def test_the_chinese_report_menu_offers_periods_in_chinese_that_the_bot_reads() -> None:
    text = translator("zh_CN")._(dict(MANAGER_COMMANDS)["report"])
    choices = re.search(r"\[(.+)\]", text)
    assert choices is not None, text
    for period in choices.group(1).split("|"):
        assert not re.search(r"[A-Za-z]{2,}", period.replace("W", "")), text  # no English word
        parse_period(period, timezone="Asia/Shanghai")  # and each one is read as written
