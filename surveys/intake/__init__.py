"""Intake: a closed work order (HTTP API, CSV, CLI) becomes exactly one survey; CSV imports of
orders and of owners (bulk onboarding) share one streaming import loop.
"""
