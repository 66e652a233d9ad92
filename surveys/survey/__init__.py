"""The survey itself: the questions, the owner's answers, reminders and expiry."""
