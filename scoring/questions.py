"""The rated questions of every survey, in the order the owner answers them.

Defined once, in the lowest layer: the points model weighs them (`scoring.points`), the survey
service asks and stores them (`surveys.survey`, `surveys.models.Response` has one column each),
and the chat renders them (`bot.render`).
"""

from __future__ import annotations

from typing import Literal, get_args

Question = Literal["overall", "attitude", "clarity", "timeliness"]
QUESTIONS: tuple[Question, ...] = get_args(Question)
