"""What the staff handlers work with: the database, the button key, the settings, the prompts.

`Staff` (`bot.staff.core`) is these plus its entry points; the handler modules (agent,
manager, owner, files, paging, views) take `StaffDeps`, so they never import the module
that routes to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.i18n import DEFAULT_LOCALE
from bot.staff.pending import PendingInputs
from scoring.categories import CategoryConfig
from scoring.points.config import PointsConfig
from surveys.core.config import ComplaintConfig, RevisitConfig, SurveyConfig
from surveys.core.db import SessionFactory


@dataclass
class StaffDeps:
    """The staff layer's database, button signing key, settings and stored prompts."""

    db: SessionFactory
    key: bytes
    points: PointsConfig = field(default_factory=PointsConfig)
    timezone: str = "Asia/Shanghai"
    complaint_config: ComplaintConfig = field(default_factory=ComplaintConfig)
    default_locale: str = DEFAULT_LOCALE
    survey_config: SurveyConfig = field(default_factory=SurveyConfig)
    revisit_config: RevisitConfig = field(default_factory=RevisitConfig)
    categories: CategoryConfig = field(default_factory=CategoryConfig)
    pending: PendingInputs = field(init=False)

    def __post_init__(self) -> None:
        # Stored, not in memory: a restart or another replica must still take the text.
        minutes = self.complaint_config.prompt_minutes
        self.pending = PendingInputs(self.db, timedelta(minutes=minutes))
