"""Phone numbers are normalised for matching and masked in everything people read."""

from __future__ import annotations

import pytest

from surveys.core.pii import is_valid_phone, mask_phone, mask_phones, normalise_phone


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


@pytest.mark.parametrize(("text", "masked"), [
    # Spelled out the way owners type a number they read aloud, or dictate by voice input.
    ("请打一三八一二三四五六七八找我", "请打138****5678找我"),
    ("电话幺三八 一二三四 五六七八。", "电话138****5678。"),
    ("座机零七五五八六零零一二三四", "座机075*****1234"),
    ("壹叁捌壹贰叁肆伍陆柒捌", "138****5678"),
    # Digits split one by one, or grouped the way the regular pattern does not expect.
    ("call 1 3 8 1 2 3 4 5 6 7 8 now", "call 138****5678 now"),
    ("号码 1381-234-5678", "号码 138****5678"),
    ("号码１３８１ ２３４ ５６７８", "号码138****5678"),
    ("+86 1 3 8 1 2 3 4 5 6 7 8", "138****5678"),
    ("mixed 138 一二三四 5678", "mixed 138****5678"),
])
def test_spelled_out_and_split_phone_numbers_are_masked_in_text(text: str, masked: str) -> None:
    assert mask_phones(text) == masked


@pytest.mark.parametrize(("text", "masked"), [
    # Owners near Hong Kong and Macau, relatives abroad: a number written with its country
    # code is a phone whatever the country (Telegram shows every number so).
    ("我的电话 +852 9123 4567，白天打", "我的电话 852****4567，白天打"),
    ("澳门号码+85366123456", "澳门号码853****3456"),
    ("台湾 +886 912 345 678", "台湾 886*****5678"),
    ("call +65 9123 4567 please", "call 659***4567 please"),
    ("UK +44 7911 123456", "UK 447*****3456"),
    ("北京座机 +86 10 6234 5678", "北京座机 106***5678"),
    ("打 00852 9123 4567 找我", "打 852****4567 找我"),
    ("全角＋８５２ ９１２３ ４５６７", "全角852****4567"),
])
def test_phone_numbers_with_a_country_code_are_masked_in_text(text: str, masked: str) -> None:
    assert mask_phones(text) == masked


@pytest.mark.parametrize("text", [
    "一二三四五六七八九十",  # counting, not a number
    "三三两两，七七八八",
    "order 2026 11 16 12 34 56 78",  # a long run of numbers that is no phone
    "2026-12-06 09:09:23 room 1 2 3",
    "第一二三四五六七八九期",
    "1 2 3 4 5 6 7 8 9 10 11",
    "温度+38度，电费+120元，积分+1500",  # signed amounts are no numbers to call
    "订单号 20261206123456",
])
def test_counting_and_other_number_runs_are_left_alone(text: str) -> None:
    assert mask_phones(text) == text
