"""Demo step (issue 14): 陈静 complains with a risk word, is not satisfied with the first
"resolved", the complaint is escalated to the manager, handled again, and she is asked again.

Played after the month is closed, so the figures of the earlier steps stay as they were.
"""

from __future__ import annotations

from bot.demo.roles import AGENT_USERS, MANAGER_USER
from bot.demo.world import OWNERS, Demo


async def owner_escalates(demo: Demo) -> None:
    """Play a direct complaint the owner is unsatisfied with: it escalates, then closes."""
    chen = demo.players[OWNERS[2][0]]
    wang = demo.players[AGENT_USERS["A001"][0]]
    manager = demo.players[MANAGER_USER[0]]
    await chen.say("/complain 物业费发票催了两周还没开给我，再拖下去我就去业委会反映。")
    await manager.wait_for_message("业委会")  # the risk-word alert, at once
    card = await wang.wait_for_message(demo.tr("A complaint about your work needs your attention."))
    await wang.tap(card, demo.tr("✔️ Resolved"))
    follow_up = await chen.wait_for_message("满意吗")
    await chen.tap(follow_up, demo.tr("😞 Not satisfied"))
    await manager.wait_for_message("投诉升级")
    reopened = await wang.wait_for_message("已重新打开")
    await wang.tap(reopened, demo.tr("💬 Reply"))
    await wang.say("陈女士您好，发票今天已经开好，下午送到您家，给您添麻烦了。")
    await chen.wait_for_message("发票今天已经开好")
    await wang.tap(reopened, demo.tr("✔️ Resolved"))
    again = await chen.wait_for_message("现在满意吗")
    await chen.tap(again, demo.tr("😊 Satisfied"))
    await wang.wait_for_message("已关闭")
