"""One router per feature; `all_routers()` lists them in matching order."""

from __future__ import annotations

from aiogram import Router


def all_routers() -> list[Router]:
    """Return fresh routers: commands first, the catch-all fallback last."""
    from bot.aiogram_app.routers import (
        binding,
        comment,
        fallback,
        forget,
        invite,
        optout,
        staff_buttons,
        staff_commands,
        staff_text,
        start,
        survey,
    )

    return [invite.build(), staff_commands.build(), staff_buttons.build(),
            start.build(), optout.build(), forget.build(), binding.build(), survey.build(),
            staff_text.build(), comment.build(), fallback.build()]
