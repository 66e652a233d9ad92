"""Phone numbers are normalised for matching and masked in everything people read."""

from __future__ import annotations

import pytest

from surveys.core.pii import is_valid_phone, mask_phone, normalise_phone


@pytest.mark.parametrize(
    "raw", ["13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678",
            "0086-13812345678", "8613812345678", "+8613812345678"],
)
def test_phone_formats_normalise_to_the_same_number(raw: str) -> None:
    assert normalise_phone(raw) == "13812345678"


def test_mask_phone_hides_the_middle_digits() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 138 1234 5678") == "138****5678"
    assert mask_phone(None) == "-"


def test_only_mobile_and_landline_numbers_are_valid() -> None:
    assert is_valid_phone("13812345678") and is_valid_phone("02161234567")
    assert not is_valid_phone("12345") and not is_valid_phone("23812345678")
