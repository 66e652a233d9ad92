"""Why the intake refuses an order: each refusal has a code and the values its message names."""

from __future__ import annotations

from surveys.core.errors import ErrorCode, InvalidInput


class IntakeRefused(InvalidInput):
    """An order the intake cannot take; `code` and `values` say why (the CLI words them)."""

    code = ErrorCode.INVALID_INPUT

    def __init__(self, message: str, **values: str) -> None:
        super().__init__(message)
        self.fields.update(values)
        self.values = values


class ConflictingOrder(IntakeRefused):
    """The external id was already closed for another community or owner."""

    code = ErrorCode.CONFLICTING_ORDER

    def __init__(self, external_id: str) -> None:
        super().__init__(f"work order {external_id!r} was already closed for another "
                         "community or owner", external_id=external_id)


class UnknownCommunity(IntakeRefused):
    """No community has this code."""

    code = ErrorCode.UNKNOWN_COMMUNITY

    def __init__(self, code: str) -> None:
        super().__init__(f"unknown community {code!r}", community=code)


class UnknownAgent(IntakeRefused):
    """No agent has this staff id, and the order gives no name to create one."""

    code = ErrorCode.UNKNOWN_AGENT

    def __init__(self, external_id: str) -> None:
        super().__init__(f"unknown agent {external_id!r} (give agent_name)", agent=external_id)


class UnknownCategory(IntakeRefused):
    """The order names a category the company's list does not have."""

    code = ErrorCode.UNKNOWN_CATEGORY

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"unknown category {name!r} (known: {', '.join(known)})",
                         category=name, known=", ".join(known))
