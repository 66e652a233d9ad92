"""Intake: a closed work order (HTTP API, CSV, CLI) becomes exactly one survey."""
