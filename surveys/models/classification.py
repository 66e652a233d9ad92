"""The classifier's verdict as a response stores it: the JSON of `Response.classification`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class StoredClassification(BaseModel):
    """A stored verdict: the fields of the classifier's JSON (DESIGN.md §7).

    Each field is optional (rows stored by older versions, or a verdict a caller classified
    itself, may lack some) and other keys are kept as they are, so a row read and written
    back changes only what the caller changed.
    """

    model_config = ConfigDict(extra="allow")

    text: str | None = None
    polarity: str | None = None
    score: float | None = None
    complaint: bool | None = None
    aspects: dict[str, Any] | None = None
    evidence: dict[str, Any] | None = None

    def without_text(self) -> dict[str, Any]:
        """Return the stored JSON with the comment's text cleared, all else as it was."""
        return self.model_copy(update={"text": None}).model_dump(exclude_unset=True)
