"""The scripted offline demo: emulator + real app + owners played through the control API.

`bot.demo.script.STEPS` lists the steps in order (owner side in `steps`, staff side in `roles`,
the language switch in `language`); `bot.demo.world` holds the cast and `Demo`.
"""
