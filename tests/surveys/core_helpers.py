"""Small builders for the core service tests: a community, an agent, bound owners, orders."""

from __future__ import annotations

from typing import Any

from surveys.core.config import SurveyConfig
from surveys.core.db import SessionFactory
from surveys.intake.close import CloseResult, WorkOrderIn, close_work_order
from surveys.people.binding import bind_owner_by_contact
from surveys.people.directory import add_agent, add_community

COMMUNITY = "GG"
AGENT = "A-7"


async def setup_people(db: SessionFactory) -> None:
    """Create the community GG and the agent A-7."""
    await add_community(db=db, code=COMMUNITY, name="绿地花园")
    await add_agent(db=db, external_id=AGENT, name="李客服", community_code=COMMUNITY)


def order(external_id: str = "WO-1", phone: str = "13812345678", **extra: Any) -> WorkOrderIn:
    """Return a valid closed work order."""
    body: dict[str, Any] = {
        "external_id": external_id, "community_code": COMMUNITY,
        "owner": {"name": "王先生", "phone": phone, "building": "3", "room": "1201"},
        "agent_external_id": AGENT, "title": "厨房水管漏水",
    }
    body.update(extra)
    return WorkOrderIn.model_validate(body)


async def close(db: SessionFactory, external_id: str = "WO-1", phone: str = "13812345678",
                **extra: Any) -> CloseResult:
    """Close a work order with the default survey settings."""
    return await close_work_order(db=db, order=order(external_id, phone, **extra),
                                  survey_config=SurveyConfig())


async def bind(db: SessionFactory, user_id: int, phone: str = "13812345678") -> None:
    """Bind a Telegram user to the owner with this phone (their own contact)."""
    await bind_owner_by_contact(db=db, telegram_user_id=user_id, chat_id=user_id, phone=phone,
                                contact_user_id=user_id, language="zh_CN")
