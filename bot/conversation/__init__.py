"""The framework-free owner conversation both chat runtimes call: `core.Conversation` routes
plain input (`actions.Inbound`) to the handler modules and returns plain actions.
"""
