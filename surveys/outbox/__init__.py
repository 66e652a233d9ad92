"""The durable outbox and its dispatcher: messages queued in the caller's transaction, sent once
within Telegram's limits, across restarts and replicas.
"""
