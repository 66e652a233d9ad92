"""The category list: names an intake may send, config mistakes, and inference from titles."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from scoring.categories import Category, CategoryConfig, infer_from_title


def test_an_intake_name_resolves_by_code_chinese_name_english_name_or_alias() -> None:
    config = CategoryConfig()
    assert config.resolve("elevator") == "elevator"
    assert config.resolve("电梯") == "elevator"
    assert config.resolve(" Water & Power ") == "water_power"
    assert config.resolve("门禁/安防") == "access_security"
    assert config.resolve("安防") == "access_security"
    assert config.resolve("水管工") is None


def test_a_company_list_with_a_duplicate_code_a_clashing_name_or_a_missing_fallback_is_refused(
) -> None:
    lift = Category(code="lift", name="Lift", labels={"zh_CN": "升降梯"})
    with pytest.raises(ValidationError, match="unique"):
        CategoryConfig(items=(lift, lift), fallback="lift")
    with pytest.raises(ValidationError, match="fallback"):
        CategoryConfig(items=(lift,))
    clash = Category(code="hoist", name="Hoist", aliases=("升降梯",))
    with pytest.raises(ValidationError, match="two categories"):
        CategoryConfig(items=(lift, clash), fallback="lift")


def test_a_company_may_add_its_own_category_with_labels_the_catalogs_do_not_know() -> None:
    pool = Category(code="pool", name="Swimming pool", labels={"zh_CN": "泳池"},
                    keywords=("泳池", "游泳池"))
    config = CategoryConfig(items=(*CategoryConfig().items, pool))
    assert config.resolve("泳池") == "pool"
    assert infer_from_title("游泳池水太脏了要换水", config) == "pool"


@pytest.mark.parametrize(("title", "code"), [
    ("厨房水管漏水", "water_power"),
    ("电梯异响", "elevator"),
    ("门禁卡刷不开", "access_security"),
    ("楼道垃圾没人清", "cleaning"),
    ("绿化带的树该修剪了", "greening"),
    ("车位被占用", "parking"),
    ("物业费怎么交", "fees"),
    ("", "other"),
    ("谢谢你们", "other"),
])
def test_the_category_is_inferred_from_the_title_words(title: str, code: str) -> None:
    assert infer_from_title(title, CategoryConfig()) == code


def test_traditional_chinese_titles_are_inferred_like_simplified_ones() -> None:
    assert infer_from_title("電梯故障", CategoryConfig()) == "elevator"
