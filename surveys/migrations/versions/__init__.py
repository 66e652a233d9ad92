"""Alembic revisions (one module per revision; alembic skips this file)."""
