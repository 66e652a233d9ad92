"""The XLSX workbook and the PNG chart: totals equal the points model's; Chinese renders."""

from __future__ import annotations

import io
import warnings
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from bot.i18n import translator
from scoring.periods import parse_period
from scoring.points.config import PointsConfig
from scoring.reports.chart import build_chart, chart_from_export, cjk_font
from scoring.reports.xlsx import TOTAL_COLUMN, build_workbook
from surveys.assessment import reports as assessment
from surveys.assessment.exports import load_export
from surveys.core.db import SessionFactory
from tests.fixtures.points_data import PointsData

WEEK = parse_period("2026-W47")
MONDAY = datetime(2026, 11, 16, 2, 0)  # 10:00 in Shanghai


async def _world(db: SessionFactory) -> PointsData:
    data = PointsData(db)
    community = await data.community("sunny", "阳光花园")
    wang = await data.agent("A001", "王晓梅", community)
    li = await data.agent("A002", "李建国", community)
    for i, (agent, ratings) in enumerate([(wang, (5, 5, 4, 5)), (wang, (4, 4, 4, 3)),
                                          (li, (2, 1, 3, 2)), (li, (5, 4, 4, 4)),
                                          (li, (3, 3, 3, 3))]):
        owner = await data.owner(community)
        when = MONDAY + timedelta(hours=6 * i)
        await data.order(agent_id=agent, owner_id=owner, community_id=community,
                         closed_at=when, sent_at=when, ratings=ratings)
    owner = await data.owner(community)
    await data.complaint(agent_id=li, owner_id=owner, opened_at=MONDAY + timedelta(days=1),
                         ack_after=timedelta(hours=30), resolved=True, satisfied=False)
    return data


async def test_workbook_totals_equal_the_points_model(db: SessionFactory) -> None:
    await _world(db)
    config = PointsConfig()
    data = await load_export(db=db, period=WEEK, config=config, trend=False)
    book = load_workbook(io.BytesIO(build_workbook(data, translator("zh_CN")._)))
    summary = book["汇总"]
    rows = list(summary.iter_rows(min_row=3, values_only=True))
    team = await assessment.team_report(db=db, period=WEEK, config=config)
    # Stored unrounded: equal to the model's totals up to the last bit of a 64-bit float.
    expected = {p.name: pytest.approx(p.total, rel=1e-12) for p in team.rows}
    assert {r[1]: r[TOTAL_COLUMN - 1] for r in rows} == expected
    assert {"王晓梅", "李建国", "回访明细", "投诉"} <= set(book.sheetnames)
    responses = list(book["回访明细"].iter_rows(min_row=2, values_only=True))
    assert len(responses) == 5 and all("****" in str(r[4]) for r in responses)
    complaints = list(book["投诉"].iter_rows(min_row=2, values_only=True))
    assert len(complaints) == 1 and complaints[0][2] == "李建国"
    li = book["李建国"]
    assert li["B2"].value == pytest.approx(next(p.total for p in team.rows if p.name == "李建国"),
                                           rel=1e-12)


async def test_chart_renders_chinese_without_missing_glyphs(db: SessionFactory) -> None:
    await _world(db)
    data = await load_export(db=db, period=WEEK, config=PointsConfig())
    assert [w for w, _ in data.trend][-1] == "2026-W47" and len(data.trend) == 8
    assert cjk_font() is not None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = chart_from_export(data, title="客服考核得分 2026-W47 阳光花园",
                                gettext=translator("zh_CN")._)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_without_the_cjk_font_matplotlib_would_warn() -> None:
    # Proves the warning check above can fail: DejaVu Sans alone lacks Chinese glyphs.
    # why: matplotlib (~0.5 s) loads only for this test
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}), \
            warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = Figure()
        FigureCanvasAgg(fig)
        fig.subplots().set_title("阳光花园")
        fig.savefig(io.BytesIO(), format="png")
    assert any("missing from" in str(w.message) for w in caught)
    assert build_chart([], [], title="空")[:4] == b"\x89PNG"
