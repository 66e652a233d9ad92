"""Complaints: opened from low ratings, complaint comments or directly, then handled (acknowledge,
reply, resolve, follow-up), with alerts, read models and the classifier's evidence.
"""
