"""What an agent reads when the owner could not be told of a complaint's news, and why."""

from __future__ import annotations

from typing import Literal

from bot.i18n import N_, Translator
from surveys.complaints.views import ComplaintResult

# What an agent is told when the owner cannot be reached in Telegram (never bound: they
# answered on the web page or by phone), instead of "the owner has been told".
ACK_NOT_TOLD = N_("Acknowledged. The owner cannot be reached in Telegram (they answered on "
                  "the web page or by phone), so they were not told: please call or visit "
                  "them.")
RESOLVED_NOT_TOLD = N_("Marked resolved. The owner cannot be reached in Telegram (they "
                       "answered on the web page or by phone), so no follow-up question was "
                       "sent: please call or visit them.")
REPLY_NOT_TOLD = N_("Your reply is kept on the complaint, but the owner cannot be reached in "
                    "Telegram (they answered on the web page or by phone), so it was not "
                    "delivered: please call or visit them.")
# ...and when the home moved to another account and the one that filed the complaint holds
# no home with the owner's phone any more (surveys.complaints.reach): the reason differs.
ACK_HOME_MOVED = N_("Acknowledged, but the owner was not told: the home moved to another "
                    "Telegram account, and the one that filed this complaint holds none with "
                    "their phone now. Please call or visit them.")
RESOLVED_HOME_MOVED = N_("Marked resolved; no follow-up question was sent: the home moved to "
                         "another Telegram account, and the one that filed this complaint "
                         "holds none with their phone now. Please call or visit them.")
REPLY_HOME_MOVED = N_("Your reply is kept on the complaint but was not delivered: the home "
                      "moved to another Telegram account, and the one that filed this "
                      "complaint holds none with their phone now. Please call or visit them.")

# ...and when the owner had their details erased (/forget): their name and phone are gone,
# so there is nobody to call; the complaint itself stays for the figures.
ACK_ERASED = N_("Acknowledged. The owner asked for their details to be erased (/forget), so "
                "they were not told, and they cannot be contacted through us.")
RESOLVED_ERASED = N_("Marked resolved. The owner asked for their details to be erased "
                     "(/forget), so no follow-up question was sent.")
REPLY_ERASED = N_("Your reply is kept on the complaint but was not delivered: the owner asked "
                  "for their details to be erased (/forget).")

_TEXTS = {"ack": (ACK_NOT_TOLD, ACK_HOME_MOVED, ACK_ERASED),
          "resolved": (RESOLVED_NOT_TOLD, RESOLVED_HOME_MOVED, RESOLVED_ERASED),
          "reply": (REPLY_NOT_TOLD, REPLY_HOME_MOVED, REPLY_ERASED)}


def not_told(tr: Translator, result: ComplaintResult,
             action: Literal["ack", "resolved", "reply"]) -> str:
    """Say the owner was not told of this action, with the reason that applies."""
    unbound, moved, erased = _TEXTS[action]
    if result.owner_erased:
        return tr._(erased)
    return tr._(moved if result.home_moved else unbound)
