"""The survey itself: the owner's answers to the questions (`scoring.questions`), submitting,
reminders and expiry.
"""
