"""A closed order's category: the one it names (code or any name), else inferred from its
title; a name the company's list lacks refuses the order before anything is written."""

from __future__ import annotations

from scoring.categories import CategoryConfig, infer_from_title
from surveys.intake.order_in import WorkOrderIn
from surveys.intake.refusals import UnknownCategory

DEFAULT_CATEGORIES = CategoryConfig()


def category_of(name: str | None, title: str, config: CategoryConfig) -> str | None:
    """Return the category code an order names (None if unknown), else the one inferred."""
    if name is None or not name.strip():
        return infer_from_title(title, config)
    return config.resolve(name)


def resolve_category(order: WorkOrderIn, config: CategoryConfig) -> str:
    """Return the order's category code: the one it names, else inferred from its title."""
    code = category_of(order.category, order.title, config)
    if code is None:
        raise UnknownCategory(order.category or "", config.codes())
    return code
