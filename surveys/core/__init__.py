"""Shared kernel: the domain clock, errors with codes, settings, the database engine, personal-
data helpers, the audit log and cross-replica job locks.
"""
