"""`ownervoice demo` plays the whole owner flow offline and prints a readable transcript."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import create_engine, text

from bot.demo.runner import run_demo
from bot.demo.transcript import Transcript


async def test_demo_binds_surveys_and_thanks_with_a_readable_transcript(tmp_path: Path) -> None:
    out = io.StringIO()
    code = await run_demo(workdir=tmp_path, transcript=Transcript(out))
    shown = out.getvalue()
    assert code == 0
    assert "👤 张伟: /start" in shown
    assert "房屋绑定成功" in shown
    assert "taps [5⭐]" in shown and "edited in place" in shown
    assert "👤 刘芳: 等了三天才有人来修" in shown
    assert "感谢您的反馈" in shown
    assert "13800138001" not in shown  # phone numbers are masked in the transcript
    engine = create_engine(f"sqlite:///{tmp_path / 'ownervoice-demo.db'}")
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT overall, attitude, clarity, timeliness FROM response ORDER BY survey_id"
        )).all()
        statuses = {r[0] for r in conn.execute(text("SELECT status FROM survey"))}
    engine.dispose()
    assert [tuple(r) for r in rows] == [(5, 5, 4, 5), (2, 1, 3, 2), (4, 4, 4, 5)]
    assert statuses == {"submitted"}
