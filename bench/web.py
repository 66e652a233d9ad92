"""Benchmark the survey web page: render latency and 500 concurrent submissions on SQLite.

Usage: python bench/web.py [--owners 500] [--renders 300] [--replays 50] [--json]

In one process: a fresh SQLite file (migrated), the bot's HTTP server (intake API + survey
page, `bot.api.create_api_app`) on a loopback port, N unbound owners each with a closed work
order and a signed link. Then, side by side:

- render: GET /s/<token> (the page: link lookup, survey view, Jinja2, CSRF token) against the
  baseline GET /api/v1/surveys/<id> (the intake API's JSON status of the same survey: one
  read, no template), alternating, `--renders` each; p50/p95 and the ratio;
- submit: every owner's form fetched, then all N POSTs sent at once (plus `--replays`
  repeats of some of them, as double taps), against the baseline of the chat's own services
  called in-process for N other surveys at once (4 record_rating + submit_survey each, no
  HTTP). Checked afterwards in the database: every web survey submitted once, its response
  holds exactly the posted ratings with channel `web`, no response lost or doubled, no 5xx.

The page's per-address rate limit is raised for the bench (every request comes from
127.0.0.1). Exit code 1 if any 5xx, lost or doubled answer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import socket
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from sqlmodel import col, select  # noqa: E402

from bot.api import create_api_app  # noqa: E402
from bot.config import ApiConfig, InviteConfig, Settings  # noqa: E402
from bot.web import settings_link_key  # noqa: E402
from surveys.core.config import SurveyConfig, WebConfig  # noqa: E402
from surveys.core.db import create_engine, create_schema, session_factory  # noqa: E402
from surveys.intake.close import close_work_order  # noqa: E402
from surveys.intake.order_in import WorkOrderIn  # noqa: E402
from surveys.models import Response, Survey, SurveyStatus  # noqa: E402
from surveys.people.binding import bind_owner_by_contact  # noqa: E402
from surveys.people.directory import add_agent, add_community  # noqa: E402
from surveys.survey.answers import record_rating, submit_survey  # noqa: E402
from surveys.survey.links import ensure_link  # noqa: E402

API_TOKEN = "bench-api-token"
QUESTIONS = ("overall", "attitude", "clarity", "timeliness")
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')


def pct(values: list[float], q: float) -> float:
    """Return the q-th percentile (nearest rank) of the values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _settings(port: int) -> Settings:
    return Settings(
        api=ApiConfig(host="127.0.0.1", port=port, token=SecretStr(API_TOKEN)),
        invites=InviteConfig(secret=SecretStr("bench-secret")),
        web=WebConfig(base_url=f"http://127.0.0.1:{port}", per_address_per_minute=10_000_000,
                      per_link_per_minute=100),
    )


def _order(n: int, phone: str) -> WorkOrderIn:
    return WorkOrderIn.model_validate({
        "external_id": f"WO-{n:06d}", "community_code": "GG",
        "owner": {"name": f"业主{n}", "phone": phone, "building": str(n % 30 + 1),
                  "room": f"{n % 20 + 1}01"},
        "agent_external_id": f"A-{n % 10}", "title": "厨房水管漏水"})


async def _seed(db: Any, settings: Settings, owners: int) -> tuple[list[tuple[int, str]],
                                                                   list[tuple[int, int]]]:
    """Return (survey id, link token) of N unbound owners and (survey id, user) of N bound."""
    await add_community(db=db, code="GG", name="绿地花园")
    for a in range(10):
        await add_agent(db=db, external_id=f"A-{a}", name=f"客服{a}", community_code="GG")
    linked: list[tuple[int, str]] = []
    bound: list[tuple[int, int]] = []
    key = settings_link_key(settings)
    for n in range(owners):
        result = await close_work_order(db=db, order=_order(n, f"139{n:08d}"),
                                        survey_config=SurveyConfig())
        link = await ensure_link(db=db, key=key, survey_id=result.survey_id,
                                 config=settings.web, survey_config=SurveyConfig())
        assert link is not None
        linked.append((result.survey_id, link.url.rsplit("/", 1)[1]))
    for n in range(owners):  # the chat baseline: bound owners, surveys marked sent
        phone, user = f"138{n:08d}", 900_000 + n
        await close_work_order(db=db, order=_order(100_000 + n, phone),
                               survey_config=SurveyConfig())
        await bind_owner_by_contact(db=db, telegram_user_id=user, chat_id=user, phone=phone,
                                    contact_user_id=user, language="zh_CN")
        result = await close_work_order(db=db, order=_order(200_000 + n, phone),
                                        survey_config=SurveyConfig())
        async with db() as s, s.begin():
            survey = await s.get(Survey, result.survey_id)
            survey.status, survey.chat_id = SurveyStatus.SENT, user
            s.add(survey)
        bound.append((result.survey_id, user))
    return linked, bound


async def _timed(fn: Callable[[], Awaitable[int]]) -> tuple[float, int]:
    start = time.perf_counter()
    status = await fn()
    return (time.perf_counter() - start) * 1000, status


async def _get(http: aiohttp.ClientSession, url: str, **kw: Any) -> int:
    async with http.get(url, **kw) as resp:
        await resp.read()
        return resp.status


async def render(http: aiohttp.ClientSession, base: str, linked: list[tuple[int, str]],
                 count: int) -> dict[str, Any]:
    """Alternate page GETs and JSON status GETs of random surveys; return latencies."""
    page: list[float] = []
    status: list[float] = []
    sizes: list[int] = []
    auth = {"Authorization": f"Bearer {API_TOKEN}"}
    rng = random.Random(7)
    for _ in range(count):
        survey_id, token = rng.choice(linked)
        ms, code = await _timed(lambda t=token: _get(http, f"{base}/s/{t}"))
        assert code == 200, code
        page.append(ms)
        ms, code = await _timed(lambda i=survey_id: _get(http, f"{base}/api/v1/surveys/{i}",
                                                          headers=auth))
        assert code == 200, code
        status.append(ms)
    async with http.get(f"{base}/s/{linked[0][1]}") as resp:
        sizes.append(len(await resp.read()))
    return {"page_ms": page, "status_ms": status, "page_bytes": max(sizes)}


async def submit_web(http: aiohttp.ClientSession, base: str, linked: list[tuple[int, str]],
                     replays: int) -> dict[str, Any]:
    """Fetch every form, then post them all at once (plus replays); return statuses."""
    rng = random.Random(11)
    forms: list[tuple[int, str, dict[str, str]]] = []
    for survey_id, token in linked:
        async with http.get(f"{base}/s/{token}") as resp:
            hidden = dict(HIDDEN.findall(await resp.text()))
        ratings = {q: str(rng.randint(1, 5)) for q in QUESTIONS}
        forms.append((survey_id, token, {**hidden, **ratings, "comment": "师傅很及时"}))
    posts = forms + rng.sample(forms, min(replays, len(forms)))
    rng.shuffle(posts)

    async def post(token: str, form: dict[str, str]) -> int:
        async with http.post(f"{base}/s/{token}", data=form, allow_redirects=False) as resp:
            await resp.read()
            return resp.status

    start = time.perf_counter()
    timed = await asyncio.gather(*(_timed(lambda t=t, f=f: post(t, f)) for _, t, f in posts))
    seconds = time.perf_counter() - start
    return {"statuses": Counter(code for _, code in timed), "ms": [ms for ms, _ in timed],
            "seconds": seconds, "posts": len(posts),
            "expected": {sid: {q: int(f[q]) for q in QUESTIONS} for sid, _, f in forms}}


async def submit_chat(db: Any, bound: list[tuple[int, int]]) -> dict[str, Any]:
    """Submit by the baseline: the chat's services, in-process, every survey at once."""
    rng = random.Random(13)

    async def one(survey_id: int, user: int) -> int:
        for q in QUESTIONS:
            await record_rating(db=db, survey_id=survey_id, telegram_user_id=user, question=q,
                                rating=rng.randint(1, 5))
        await submit_survey(db=db, survey_id=survey_id, telegram_user_id=user,
                            survey_config=SurveyConfig(), complaint_config=Settings().complaints)
        return 200

    start = time.perf_counter()
    timed = await asyncio.gather(*(_timed(lambda s=s, u=u: one(s, u)) for s, u in bound))
    return {"ms": [ms for ms, _ in timed], "seconds": time.perf_counter() - start,
            "posts": len(bound)}


async def verify(db: Any, expected: dict[int, dict[str, int]]) -> dict[str, int]:
    """Count lost, doubled and wrong answers of the web surveys."""
    async with db() as s:
        rows = (await s.exec(select(Response).where(
            col(Response.survey_id).in_(list(expected))))).all()
        submitted = (await s.exec(select(Survey.id).where(
            col(Survey.id).in_(list(expected)), Survey.status == SurveyStatus.SUBMITTED))).all()
    per_survey = Counter(r.survey_id for r in rows)
    wrong = sum(1 for r in rows if r.channel != "web" or r.submitted_at is None
                or {q: getattr(r, q) for q in QUESTIONS} != expected[r.survey_id])
    return {"lost": len(expected) - len(per_survey), "doubled": sum(
        n - 1 for n in per_survey.values() if n > 1), "wrong": wrong,
        "submitted": len(submitted)}


async def main(args: argparse.Namespace) -> dict[str, Any]:
    """Serve the survey page on a fresh database; time renders and web and chat submissions."""
    with tempfile.TemporaryDirectory(prefix="ownervoice-bench-web-") as tmp:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")
        await create_schema(engine)
        db = session_factory(engine)
        port = _free_port()
        settings = _settings(port)  # the links must carry the port the page is served on
        runner = web.AppRunner(create_api_app(db=db, settings=settings), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        base = f"http://127.0.0.1:{port}"
        try:
            started = time.perf_counter()
            linked, bound = await _seed(db, settings, args.owners)
            seeded = time.perf_counter() - started
            async with aiohttp.ClientSession(
                    connector=aiohttp.TCPConnector(limit=0)) as http:
                rendered = await render(http, base, linked, args.renders)
                web_run = await submit_web(http, base, linked, args.replays)
            chat_run = await submit_chat(db, bound)
            checked = await verify(db, web_run.pop("expected"))
        finally:
            await runner.cleanup()
            await engine.dispose()
    return {"owners": args.owners, "seed_seconds": seeded, **rendered, "web": web_run,
            "chat": chat_run, "checked": checked}


def report(r: dict[str, Any]) -> bool:
    """Print the tables; return True when no 5xx, lost, doubled or wrong answer."""
    page, status = r["page_ms"], r["status_ms"]
    print(f"render ({len(page)} GETs each, alternating; page {r['page_bytes']} bytes)")
    print("| path | p50 ms | p95 ms | max ms |\n|---|---|---|---|")
    for name, ms in (("survey page GET /s/<token>", page),
                     ("baseline: GET /api/v1/surveys/<id> (JSON)", status)):
        print(f"| {name} | {statistics.median(ms):.1f} | {pct(ms, 95):.1f} | {max(ms):.1f} |")
    print(f"page / baseline p95 ratio: {pct(page, 95) / pct(status, 95):.2f}\n")
    w, c, k = r["web"], r["chat"], r["checked"]
    codes = dict(sorted(w["statuses"].items()))
    server_errors = sum(n for code, n in codes.items() if code >= 500)
    print(f"submit ({r['owners']} surveys at once; web also {w['posts'] - r['owners']} replays)")
    print("| path | submissions/s | wall s | p50 ms | p95 ms | statuses |")
    print("|---|---|---|---|---|---|")
    print(f"| web: POST /s/<token> (HTTP, one transaction) | {w['posts'] / w['seconds']:.0f} | "
          f"{w['seconds']:.2f} | {statistics.median(w['ms']):.0f} | {pct(w['ms'], 95):.0f} | "
          f"{codes} |")
    print(f"| baseline: chat services in-process (5 transactions) | "
          f"{c['posts'] / c['seconds']:.0f} | {c['seconds']:.2f} | "
          f"{statistics.median(c['ms']):.0f} | {pct(c['ms'], 95):.0f} | - |")
    ratio = (w["posts"] / w["seconds"]) / (c["posts"] / c["seconds"])
    print(f"web / chat throughput ratio: {ratio:.2f}")
    print(f"checked: {k['submitted']} of {r['owners']} web surveys submitted; lost {k['lost']}, "
          f"doubled {k['doubled']}, wrong {k['wrong']}; 5xx {server_errors}")
    return server_errors == 0 and k["lost"] == k["doubled"] == k["wrong"] == 0 \
        and k["submitted"] == r["owners"]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--owners", type=int, default=500)
    parser.add_argument("--renders", type=int, default=300)
    parser.add_argument("--replays", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args()
    result = asyncio.run(main(arguments))
    if arguments.json:
        result["web"]["statuses"] = dict(result["web"]["statuses"])
        print(json.dumps(result, default=str))
    sys.exit(0 if report(result) else 1)
