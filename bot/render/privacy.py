"""What staff read of an owner's own words: a phone number the owner typed is masked.

Only the agent handling the complaint may read it in full (to call back), and only when
`complaints.agent_sees_typed_phones` allows it; managers always get it masked.
"""

from __future__ import annotations

from collections.abc import Mapping

from surveys.core.pii import mask_phones

# Where an owner's own words travel in staff messages (payloads and complaint views), and
# staff words that may repeat them: the agent, who reads a typed phone in full, may copy it
# into an appeal's reason, which the managers read.
OWNER_WORDS = ("text", "reply_text", "complaint_text", "comment", "reason", "decision_reason")


def as_staff_reads(data: Mapping[str, object], *, typed_phones: bool) -> Mapping[str, object]:
    """Return complaint data as a staff member reads it: phones the owner typed masked."""
    if typed_phones:
        return data
    return {key: mask_phones(value) if key in OWNER_WORDS and isinstance(value, str) else value
            for key, value in data.items()}
