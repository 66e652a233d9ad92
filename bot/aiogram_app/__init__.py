"""The aiogram 3 runtime: thin glue between Telegram updates and `bot.conversation`."""
