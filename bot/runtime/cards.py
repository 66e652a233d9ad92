"""The survey service as the place `perform` records a survey card it sent afresh."""

from __future__ import annotations

from surveys.core.db import SessionFactory
from surveys.survey.cards import move_card


class SurveyCards:
    """Record a card sent afresh (its edit refused) as its survey's card."""

    def __init__(self, db: SessionFactory) -> None:
        self.db = db

    async def moved(self, *, survey_id: int, chat_id: int, from_message_id: int,
                    to_message_id: int) -> None:
        """Make the fresh message the survey's card, if the refused one was."""
        await move_card(db=self.db, survey_id=survey_id, chat_id=chat_id,
                        from_message_id=from_message_id, to_message_id=to_message_id)
