"""Pure computation: the survey questions, the Chinese classifier, periods, the points model and
report building. Never imports the domain (`surveys`) or the chat transport (`bot`).
"""
