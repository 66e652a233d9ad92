"""The scripted offline demo: emulator + real app + owners played through the control API.

Steps live in `bot.demo.steps` (`STEPS`); later features add theirs with `@step(...)`.
"""
