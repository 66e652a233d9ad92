"""Complaints: opened from low ratings, complaint comments or directly, then handled (acknowledge,
reply, resolve, follow-up), with alerts, read models, tag corrections, and the one adapter to
the classifier with readers of its evidence.
"""
