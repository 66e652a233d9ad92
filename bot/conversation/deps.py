"""What the owner handlers work with: the database, the button key and the survey settings.

`Conversation` (`bot.conversation.core`) is these plus its entry points; the handler modules
(binding, language, misc, privacy, survey) take `ConversationDeps`, so they never import the
module that routes to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from surveys.core.config import ComplaintConfig, SurveyConfig
from surveys.core.db import SessionFactory


@dataclass
class ConversationDeps:
    """The owner conversation's database, button signing key and settings."""

    db: SessionFactory
    key: bytes
    invite_secret: str
    survey_config: SurveyConfig = field(default_factory=SurveyConfig)
    complaint_config: ComplaintConfig = field(default_factory=ComplaintConfig)
