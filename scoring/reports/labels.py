"""What people read for the codes a complaint stores: its source, status and tags.

msgids, translated by whoever shows them (the chat renderers, the XLSX builder): no code such
as `low_rating` or `closed_satisfied` reaches a reader. A code without a label is shown as is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


def N_(message: str) -> str:
    """Mark a msgid for extraction (translated where it is shown)."""
    return message


# Between the items of a list ("、" in Chinese).
LIST_SEPARATOR = N_(", ")
TAG_LABELS = {
    "attitude": N_("attitude"),
    "clarity": N_("clarity"),
    "timeliness": N_("timeliness"),
    "resolution": N_("resolution"),
    "overall": N_("overall"),
}
STATUS_LABELS = {
    "open": N_("open"),
    "acknowledged": N_("acknowledged"),
    "resolved": N_("resolved"),
    "follow_up": N_("awaiting the owner's follow-up answer"),
    "escalated": N_("escalated: the owner was not satisfied, handled again"),
    "closed_satisfied": N_("closed, owner satisfied"),
    "closed_unsatisfied": N_("closed, owner not satisfied"),
    "closed_unreachable": N_("closed, owner unreachable"),
    "dismissed": N_("not a complaint (corrected)"),
}
SOURCE_LABELS = {
    "low_rating": N_("low rating"),
    "comment": N_("negative comment"),
    "direct": N_("direct complaint"),
}


def label(labels: dict[str, str], code: object, gettext: Callable[[str], str]) -> str:
    """Return a code's label in the reader's language (the code itself when unknown)."""
    key = str(code or "")
    return gettext(labels[key]) if key in labels else key


def tags_label(tags: Iterable[str] | None, gettext: Callable[[str], str]) -> str:
    """Join the tags' labels with the reader's list separator."""
    return gettext(LIST_SEPARATOR).join(label(TAG_LABELS, t, gettext) for t in tags or [])
