"""The demo's steps, in the order they are played, each with the title the transcript shows.

A step is `async def step(demo: Demo) -> None`; add one by writing it (owner side in
`bot.demo.steps`, staff side in `bot.demo.roles`) and listing it here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.demo import courtesy, cycle, escalation, language, repeats, revisit, roles, steps, web
from bot.demo.world import Demo
from bot.i18n import N_


@dataclass(frozen=True)
class Step:
    """One section of the demo."""

    title: str  # a msgid: the transcript shows it in the narration's language
    func: Callable[[Demo], Awaitable[None]]


STEPS: tuple[Step, ...] = (
    Step(N_("Seed the community 阳光花园: agents and owners"), steps.seed),
    Step(N_("Agents and a manager bind with one-time invite links"), roles.bind_staff),
    Step(N_("Owners bind their homes in chat"), steps.bind_owners),
    Step(N_("The property system closes work orders (HTTP intake API)"), steps.close_orders),
    Step(N_("Owners answer their surveys"), steps.answer_surveys),
    Step(N_("赵敏 has no Telegram: she answers by the signed web link"), web.owner_answers_by_link),
    Step(N_("The agent handles 刘芳's complaint in chat; her greeting opens nothing and her "
            "next message joins the complaint"), roles.handle_complaint),
    Step(N_("What the database now holds"), steps.results),
    Step(N_("Monday 09:00: weekly summaries and the team digest"), roles.weekly_summaries),
    Step(N_("The manager asks for the report, the workbook and the chart"), roles.manager_report),
    Step(N_("The month ends: in its appeal window the manager reviews 李建国, who asks /how"),
         cycle.month_in_review),
    Step(N_("The manager closes the month: final figures to everyone, the payroll file"),
         cycle.close_month),
    Step(N_("张伟 switches to English with /language; his next survey arrives in English"),
         language.owner_switches_to_english),
    Step(N_("陈静 complains (a risk word alerts the manager), is not satisfied: the complaint is "
         "escalated, handled again, and she is asked again"), escalation.owner_escalates),
    Step(N_("陈静's bathroom pipe leaks again: the order is flagged 返修/重复 on the complaint "
            "card, and the third time within 30 days alerts the manager"),
         repeats.pipe_leaks_again),
    Step(N_("黄强 has no Telegram: 回访 staff 孙丽 gets the morning list, calls him and records "
         "a phone 回访"), revisit.phone_revisit),
    Step(N_("Quiet hours: an order closed at 22:30 is surveyed at 08:00"),
         courtesy.survey_waits_for_morning),
)
