"""The classifier seen from the domain: the one adapter that calls it, and readers of its verdict.

`classify_comment` is the only caller of `scoring.classifier` in `surveys/` (survey comments and
direct complaints). The stored JSON has had several shapes (aspects as a dict of labels, a dict
of objects with their own evidence, or a list); the readers accept all of them.
"""

from __future__ import annotations

import logging
from typing import Any

from scoring.classifier import classify, learning

log = logging.getLogger(__name__)


def classify_comment(text: str) -> dict[str, Any] | None:
    """Return the classifier's verdict as stored JSON, or None when the classifier failed."""
    try:
        learning.refresh()  # a newer learned model (another process wrote it) is used now
        return classify(text).to_dict()
    except Exception:  # a classifier bug must not lose the owner's words
        log.exception("classifier failed; the text is stored unclassified")
        return None


def _label(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        found = value.get("label") or value.get("polarity") or value.get("value")
        return found if isinstance(found, str) else None
    return getattr(value, "label", None) or getattr(value, "polarity", None)


def negative_aspects(classification: dict[str, Any] | None) -> list[str]:
    """Return the aspects the classifier judged negative, in its order."""
    aspects = (classification or {}).get("aspects") or {}
    names: list[str] = []
    if isinstance(aspects, dict):
        names = [name for name, value in aspects.items() if _label(value) == "neg"]
    elif isinstance(aspects, list):
        for item in aspects:
            if isinstance(item, dict) and _label(item) == "neg":
                name = item.get("aspect") or item.get("name")
                if isinstance(name, str):
                    names.append(name)
    return names


def _flatten_words(value: Any, out: list[str]) -> None:
    if isinstance(value, str):
        if value and value not in out:
            out.append(value)
    elif isinstance(value, dict):
        for inner in value.values():
            _flatten_words(inner, out)
    elif isinstance(value, list | tuple):
        for inner in value:
            _flatten_words(inner, out)


def evidence_words(classification: dict[str, Any] | None) -> list[str]:
    """Return the words that decided the classification, without duplicates."""
    words: list[str] = []
    aspects = (classification or {}).get("aspects")
    aspects = aspects if isinstance(aspects, dict) else {}
    # Praise is not evidence of a complaint: skip the words of aspects judged non-negative.
    praised = {name for name, value in aspects.items() if _label(value) not in (None, "neg")}
    evidence = (classification or {}).get("evidence")
    if isinstance(evidence, dict):
        evidence = {k: v for k, v in evidence.items() if k not in praised}
    _flatten_words(evidence, words)
    for name, value in aspects.items():
        if isinstance(value, dict) and name not in praised:
            _flatten_words(value.get("evidence"), words)
    return words


def aspect_words(classification: dict[str, Any] | None) -> dict[str, list[str]]:
    """Map each negative aspect to the words that decided it (empty when unattributable)."""
    data = classification or {}
    evidence = data.get("evidence")
    aspects = data.get("aspects")
    items: dict[str, Any] = {}
    if isinstance(aspects, dict):
        items = aspects
    elif isinstance(aspects, list):
        items = {str(i.get("aspect") or i.get("name")): i for i in aspects if isinstance(i, dict)}
    by_aspect: dict[str, list[str]] = {}
    for name in negative_aspects(data):
        words: list[str] = []
        # A flat evidence list cannot be attributed to one aspect, so it is left out here.
        if isinstance(evidence, dict):
            _flatten_words(evidence.get(name), words)
        if isinstance(items.get(name), dict):
            _flatten_words(items[name].get("evidence"), words)
        by_aspect[name] = words
    return by_aspect
