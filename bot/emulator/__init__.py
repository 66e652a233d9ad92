"""A Telegram Bot API emulator for tests and the offline demo.

Start one with `running_emulator()`, point aiogram or python-telegram-bot at its
`base_url`, and play users with its `client` (an `EmulatorClient`).
"""

from bot.emulator.client import EmulatorClient, EmulatorError
from bot.emulator.core import Emulator
from bot.emulator.server import EmulatorServer, make_app, running_emulator

__all__ = [
    "Emulator",
    "EmulatorClient",
    "EmulatorError",
    "EmulatorServer",
    "make_app",
    "running_emulator",
]
