"""Shared kernel every other surveys package builds on: the domain clock, errors with codes,
settings, the database engine, the rules for text from outside, personal-data masking, the audit
log, cross-replica job locks and the ids of chat updates already handled. Imports no other
surveys package but `surveys.models` (and `surveys.migrations`, to migrate).
"""
