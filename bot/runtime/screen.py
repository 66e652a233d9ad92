"""Screen a getUpdates answer: an update the framework cannot read is passed over, not fatal.

aiogram and PTB read updates against the Bot API version they were built for, and fail the
whole getUpdates answer when one update does not fit (a server of another version leaves out
a field they require). Polling then asks for the same updates again, and fails again, for
ever. Each adapter says which updates its framework reads; the others are replaced by their
bare update id, which the framework reads as an update of no known kind (handled as
nothing), so the offset moves past it and the rest are handled.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


def screen_updates(body: str | bytes, readable: Callable[[dict[str, Any]], bool]
                   ) -> str | None:
    """Return the getUpdates answer with unreadable updates stripped, or None if unchanged."""
    try:
        answer = json.loads(body)
    except ValueError:
        return None
    updates = answer.get("result") if isinstance(answer, dict) else None
    if not isinstance(updates, list):
        return None
    screened, changed = [], False
    for update in updates:
        if isinstance(update, dict) and readable(update):
            screened.append(update)
            continue
        changed = True
        update_id = update.get("update_id") if isinstance(update, dict) else None
        kinds = sorted(k for k in update if k != "update_id") if isinstance(update, dict) else []
        # Only the kind is logged: the update carries people's words and numbers.
        log.warning("update %s (%s) could not be read by the chat framework, skipped: the "
                    "Bot API server speaks another version", update_id,
                    ", ".join(kinds) or type(update).__name__)
        if isinstance(update_id, int):
            screened.append({"update_id": update_id})
    if not changed:
        return None
    return json.dumps({**answer, "result": screened}, ensure_ascii=False)
