"""The intake API fixture for this folder (defined in tests/fixtures/intake_api.py)."""

from tests.fixtures.intake_api import api  # noqa: F401  (the fixture)
