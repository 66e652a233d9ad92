"""The survey itself: the owner's answers to the questions (`scoring.questions`) in chat or
through a signed web link, submitting, reminders and expiry.
"""
