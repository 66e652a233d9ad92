"""People: communities, owners, agents and managers; binding Telegram accounts, staff
administration, languages, privacy (/forget), oversight scope, menu resets and pending prompts.
"""
