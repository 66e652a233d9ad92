"""The framework-free agent and manager conversation (and the owner's complaint side).

Both runtimes call `core.Staff`: each adapter turns an update into a call and the returned
actions (`bot.staff.actions`) into Bot API calls. A `None` result means "not mine": the
adapter passes the update on to the owner conversation.
"""
