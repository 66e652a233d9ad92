"""The emulator and a real aiogram Bot pointed at it."""

from tests.fixtures.aiogram_bot import bot, emulator, messenger  # noqa: F401
