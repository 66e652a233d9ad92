"""The python-telegram-bot 22 runtime: thin glue between PTB and `bot.runtime`.

Imported only when `settings.runtime == "ptb"` (PTB is the optional `ptb` extra).
"""
