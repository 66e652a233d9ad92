"""Demo steps of the monthly 考核 cycle: the month ends and is in review (a manager's review
card, provisional figures, /how), then it is closed with the confirmation button, every agent
gets their final month and the manager the payroll file (also written to the output folder).

The domain clock is moved to just after the month's end, then past its appeal window, and
given back to the system afterwards, so the steps are fast and give the same transcript on
both runtimes.
"""

from __future__ import annotations

from datetime import timedelta

from bot.demo.roles import AGENT_USERS, MANAGER_USER
from bot.demo.world import Demo
from bot.i18n import N_
from scoring.periods import parse_period
from scoring.reports.payroll import build_csv, build_xlsx
from surveys.assessment.payroll import payroll
from surveys.core import clock
from surveys.core.clock import FrozenClock


def _month(demo: Demo) -> str:
    settings = demo.app.settings
    return parse_period("month", timezone=settings.schedule.timezone, now=clock.now()).label


async def month_in_review(demo: Demo) -> None:
    """Play the month's end: the clock moves on and the appeal window opens."""
    label = _month(demo)
    demo.extra["month"] = label
    period = parse_period(label, timezone=demo.app.settings.schedule.timezone)
    demo.extra["clock"] = FrozenClock(period.end + timedelta(hours=10)).install()
    demo.transcript.note(N_("the clock moves to the day after {month} ends: its appeal "
                            "window is open for 3 days"), month=label)
    manager = demo.players[MANAGER_USER[0]]
    await manager.say(f"/review {label}")
    card = await manager.wait_for_message(f"{AGENT_USERS['A002'][1]}（{label}）")
    await manager.tap(card, "4⭐")
    li = demo.players[AGENT_USERS["A002"][0]]
    await li.say(f"/how {label}")


async def close_month(demo: Demo) -> None:
    """Play a manager closing the month after its appeal window."""
    label = str(demo.extra["month"])
    settings = demo.app.settings
    period = parse_period(label, timezone=settings.schedule.timezone)
    frozen: FrozenClock = demo.extra["clock"]
    frozen.current = period.end + timedelta(days=3, hours=2)
    demo.transcript.note(N_("three days later the appeal window of {month} has closed"),
                         month=label)
    manager = demo.players[MANAGER_USER[0]]
    ask = await manager.say(f"/close {label}")
    button = "✅ " + demo.tr("Close {label}").format(label=label)
    await manager.tap(ask[-1], button.lstrip("✅"))  # the player strips a ✅ mark
    for user_id, _name, _phone in AGENT_USERS.values():  # each agent's final points, here
        await demo.players[user_id].wait_for_message("考核已结账")
    sheet = await payroll(db=demo.db, period=period, current=settings.points)
    out = demo.out_dir
    out.mkdir(parents=True, exist_ok=True)
    xlsx, csv = out / "ownervoice-demo-payroll.xlsx", out / "ownervoice-demo-payroll.csv"
    xlsx.write_bytes(build_xlsx(sheet, demo.tr))
    csv.write_bytes(build_csv(sheet, demo.tr))
    demo.transcript.note(N_("wrote {xlsx} and {csv}: {count} agents"), xlsx=xlsx, csv=csv,
                         count=len(sheet.rows))
    FrozenClock.uninstall()
