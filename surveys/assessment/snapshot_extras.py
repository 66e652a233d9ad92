"""A closed period's response and resolution times and its views by category and building,
stored in its snapshot at close and read back instead of being computed again.

Both are figures of the orders closed, the complaints opened and the responses counted in the
period, which the close makes final (later answers become adjustments), so the report of a
closed period reads them as they were at close. Stored as JSON lists, not objects keyed by id:
key order then never depends on the database's JSON type.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import TypeAdapter

from scoring.reports.groups import Breakdowns, GroupRow
from scoring.timeliness import Norm, TimelinessReport, TimesFigures
from surveys.assessment.breakdowns import sort_groups

FIGURES = TypeAdapter(TimesFigures)
ROW = TypeAdapter(GroupRow)
NORM = TypeAdapter(Norm)
TIMES_KEY = "timeliness"
GROUPS_KEY = "breakdowns"


def dump_times(report: TimelinessReport) -> dict[str, Any]:
    """Return the JSON form of a period's times."""
    return {
        "norm": NORM.dump_python(report.norm, mode="json"), "grouped_by": report.grouped_by,
        "team": FIGURES.dump_python(report.team, mode="json"),
        "by_agent": [[k, FIGURES.dump_python(v, mode="json")] for k, v in report.by_agent.items()],
        "by_group": [[k, FIGURES.dump_python(v, mode="json")] for k, v in report.by_group.items()],
    }


def load_times(data: dict[str, Any]) -> TimelinessReport:
    """Return a period's times from their JSON form."""
    return TimelinessReport(
        norm=NORM.validate_python(data["norm"]), grouped_by=data["grouped_by"],
        team=FIGURES.validate_python(data["team"]),
        by_agent={int(k): FIGURES.validate_python(v) for k, v in data["by_agent"]},
        by_group={str(k): FIGURES.validate_python(v) for k, v in data["by_group"]},
    )


def dump_groups(groups: Breakdowns) -> dict[str, Any]:
    """Return the JSON form of a period's views by category, building and agent."""
    def rows(found: list[GroupRow]) -> list[dict[str, Any]]:
        return [ROW.dump_python(r, mode="json") for r in found]
    return {"by_category": rows(groups.by_category), "by_building": rows(groups.by_building),
            "by_agent": rows(groups.by_agent),
            "complaints": [[b, c, n] for (b, c), n in groups.complaints.items()]}


def load_groups(data: dict[str, Any], category_order: Iterable[str]) -> Breakdowns:
    """Return a period's views from their JSON form, categories in the company's order now."""
    def rows(key: str) -> list[GroupRow]:
        return [ROW.validate_python(r) for r in data[key]]
    return Breakdowns(
        by_category=sort_groups(rows("by_category"), list(category_order)),
        by_building=rows("by_building"), by_agent=rows("by_agent"),
        complaints={(str(b), str(c)): int(n) for b, c, n in data["complaints"]})
