"""The aiogram 3 runtime: thin glue between aiogram and `bot.runtime` (shared with PTB).

`runtime.py` (Bot, Dispatcher with one router, polling), `updates.py` (update -> Event),
`port.py` + `messenger.py` (Bot API calls, errors mapped), `keyboards.py` (markup).
A feature never adds code here: commands, texts and buttons are routed in
`bot.runtime.events.route` to the owner conversation or the staff layer.
"""
