"""Domain errors become words through one table: every code is said in zh_CN and en, with
its fields, and no reply path puts a domain error's English text into a chat."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import surveys.core.errors as errors
from bot.i18n import translator
from bot.render.errors import MESSAGES, error_text
from surveys.core.errors import (
    AppealAlreadyDecided,
    DomainError,
    ErrorCode,
    InvalidInput,
    InvalidTransition,
    NotFound,
    SurveyClosed,
)
from tests.fixtures.catalogs import singular_texts

BOT = Path(__file__).resolve().parents[3] / "bot"
DOMAIN_ERRORS = {name for name, value in vars(errors).items()
                 if isinstance(value, type) and issubclass(value, DomainError)}


@pytest.mark.parametrize("code", list(ErrorCode))
def test_every_error_code_has_a_chinese_and_an_english_message(code: ErrorCode) -> None:
    msgid = MESSAGES[code]
    zh, en = singular_texts("zh_CN"), singular_texts("en")
    assert zh.get(msgid), f"{code}: no zh_CN translation of {msgid!r}"
    assert msgid in en, f"{code}: no en entry for {msgid!r}"


def test_a_refusal_is_said_in_the_readers_language_with_its_fields() -> None:
    exc = NotFound("response 34", code=ErrorCode.RECORD_NOT_FOUND, id="R34")
    assert error_text(translator("en"), exc) == "No such record: R34."
    assert "R34" in error_text(translator("zh_CN"), exc)
    too_long = InvalidInput("x", code=ErrorCode.REASON_TOO_LONG, limit=1000)
    assert error_text(translator("en"), too_long) == (
        "Sorry, the reason is too long. Please keep it under 1000 characters.")


def test_state_errors_pick_their_code_from_the_state() -> None:
    assert SurveyClosed("submitted").code == ErrorCode.SURVEY_SUBMITTED
    assert SurveyClosed("expired").code == ErrorCode.SURVEY_EXPIRED
    decided = AppealAlreadyDecided("upheld", appeal_id=7)
    assert error_text(translator("en"), decided) == "Appeal #7 was already decided."
    closed = InvalidTransition("reply", "closed", code=ErrorCode.COMPLAINT_CLOSED)
    assert closed.fields == {"action": "reply", "status": "closed"}
    assert "closed" not in error_text(translator("zh_CN"), closed)  # no internal status word


def test_an_error_without_a_precise_code_still_gets_a_polite_message_in_chinese() -> None:
    text = error_text(translator("zh_CN"), InvalidInput("some English detail"))
    assert text and "English" not in text


def _formats_the_exception(handler: ast.ExceptHandler) -> bool:
    name = handler.name
    for node in ast.walk(ast.Module(body=handler.body, type_ignores=[])):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in {"str", "repr", "format"}
                and any(isinstance(a, ast.Name) and a.id == name for a in node.args)):
            return True
        if (isinstance(node, ast.FormattedValue) and isinstance(node.value, ast.Name)
                and node.value.id == name):
            return True
        if (isinstance(node, ast.Attribute) and node.attr == "args"
                and isinstance(node.value, ast.Name) and node.value.id == name):
            return True
    return False


def _catches_a_domain_error(handler: ast.ExceptHandler) -> bool:
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any((isinstance(t, ast.Name) and t.id in DOMAIN_ERRORS)
               or (isinstance(t, ast.Attribute) and t.attr in DOMAIN_ERRORS) for t in types)


def test_no_reply_path_formats_a_domain_error_as_text() -> None:
    offenders = []
    # The intake API answers a program: English `detail` beside the stable `code`.
    for path in sorted(p for p in BOT.rglob("*.py") if p.parent.name != "api"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.ExceptHandler) and node.name
                    and _catches_a_domain_error(node) and _formats_the_exception(node)):
                offenders.append(f"{path.relative_to(BOT.parent)}:{node.lineno}")
    assert offenders == [], "use bot.render.errors.error_text, not str(exc): " + ", ".join(
        offenders)
