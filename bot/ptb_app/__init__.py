"""The python-telegram-bot 22 runtime: thin glue between PTB and `bot.runtime`.

Imported only when `settings.runtime == "ptb"` (PTB is the optional `ptb` extra).
"""

import os

# Opt in to PTB's coming timedelta durations (RetryAfter.retry_after …) now; the messenger
# reads both forms, and this silences PTB 22's deprecation warning on every 429.
os.environ.setdefault("PTB_TIMEDELTA", "1")
