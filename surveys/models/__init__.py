"""SQLModel tables: the single source of the schema (migrations are generated from these).

The tables live in one module per glossary area and are all registered on
`SQLModel.metadata` by importing this package; import them from here, not from the
submodules. Enums are stored as plain strings (not native DB enums) so adding a value
needs no PostgreSQL type migration.
"""

from __future__ import annotations

from surveys.models.assessment import (
    ClosedPeriod,
    PeriodAdjustment,
    PointsConfigVersion,
    Review,
    SnapshotRow,
    SnapshotTeam,
)
from surveys.models.classification import StoredClassification
from surveys.models.complaints import (
    Appeal,
    AppealStatus,
    AuditLog,
    Complaint,
    ComplaintMessage,
    ComplaintSource,
    ComplaintStatus,
    ReplyTemplate,
)
from surveys.models.corrections import CorrectionStatus, TagCorrection
from surveys.models.infra import (
    ApiRequest,
    JobRun,
    OutboxMessage,
    OutboxStatus,
    PageText,
    ProcessedUpdate,
    ReplicaHeartbeat,
    StaffPrompt,
)
from surveys.models.owner_texts import OwnerText, OwnerTextStatus
from surveys.models.people import Agent, Community, Invite, Manager, Owner, Revisitor, Role
from surveys.models.work import (
    STAFF_CHANNELS,
    Response,
    ResponseChannel,
    Survey,
    SurveyLink,
    SurveyStatus,
    Urgency,
    WorkOrder,
    WorkOrderKind,
)

__all__ = [
    "STAFF_CHANNELS",
    "Agent",
    "ApiRequest",
    "Appeal",
    "AppealStatus",
    "AuditLog",
    "ClosedPeriod",
    "Community",
    "Complaint",
    "ComplaintMessage",
    "ComplaintSource",
    "ComplaintStatus",
    "CorrectionStatus",
    "Invite",
    "JobRun",
    "Manager",
    "OutboxMessage",
    "OutboxStatus",
    "Owner",
    "OwnerText",
    "OwnerTextStatus",
    "PageText",
    "PeriodAdjustment",
    "PointsConfigVersion",
    "ProcessedUpdate",
    "ReplicaHeartbeat",
    "ReplyTemplate",
    "Response",
    "ResponseChannel",
    "Review",
    "Revisitor",
    "Role",
    "SnapshotRow",
    "SnapshotTeam",
    "StaffPrompt",
    "StoredClassification",
    "Survey",
    "SurveyLink",
    "SurveyStatus",
    "TagCorrection",
    "Urgency",
    "WorkOrder",
    "WorkOrderKind",
]
