"""Pure rendering: domain views and outbox payloads -> text and keyboards as plain data.

Both chat runtimes (aiogram, python-telegram-bot) send exactly what these functions return.
"""

from bot.render.outbox import OutboxRenderer
from bot.render.survey import SurveyCard, card_from_payload, card_from_view, render_survey

__all__ = ["OutboxRenderer", "SurveyCard", "card_from_payload", "card_from_view",
           "render_survey"]
