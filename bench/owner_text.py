"""Where labelled owner comments would go as free text outside a survey (docs/benchmarks.md).

Each comment of the labelled sets (scoring/data: train, test, blind, blind_topup) is routed
the way `surveys.complaints.owner_text.take_owner_text` routes a text from an owner with no
complaint in hand: chatter, thanks, opened at once, or asked "register as a complaint?".
Counted apart for comments labelled complaint and not; plus a list of everyday chatter, and
the comments made only of emoji beside the emoji rule before `emoji_mood` (same run).
The routing is the service's own functions (no database: joining and the daily limit need
an owner's history and are covered by tests).

    .venv/bin/python bench/owner_text.py
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from scoring.classifier.chatter import emoji_mood, is_chatter
from surveys.complaints.evidence import classify_comment
from surveys.complaints.opening import NEUTRAL_CLASSIFICATION
from surveys.complaints.owner_text import Reading, read_owner_text
from surveys.core.config import ComplaintConfig

ROOT = Path(__file__).resolve().parent.parent
SETS = ("train", "test", "blind", "blind_topup")
ROUTES = {Reading.CHATTER: "chatter", Reading.CHATTER_THANKS: "thanks", Reading.THANKS: "thanks",
          Reading.COMPLAINT: "opened", Reading.UNSURE: "asked", Reading.GLAD: "glad",
          Reading.UPSET: "upset"}
CHATTER = ["在吗", "在吗？", "你好", "您好！", "你好，在吗", "有人吗", "?", "？？？", "👍", "😀",
           "🙏🙏", "好的", "好的谢谢", "嗯嗯", "收到", "知道了", "谢谢", "谢谢您", "ok", "OK!",
           "Hello", "thanks", "早上好", "请问", "哦哦", "行", "没事了", "不用了", "拜拜", "。"]


def route(text: str, config: ComplaintConfig) -> tuple[str, str]:
    """Return where a text from an owner with nothing in hand goes: now, and before.

    Before (the baseline): every text but thanks (classifier positive, no complaint) opened
    a complaint.
    """
    verdict = classify_comment(text) or dict(NEUTRAL_CLASSIFICATION)
    thanked = verdict.get("polarity") == "positive" and not verdict.get("complaint")
    return ROUTES[read_owner_text(text, verdict, config)], "thanks" if thanked else "opened"


def emoji_before(text: str, config: ComplaintConfig) -> str:
    """Route a text of emoji only by the rule before emoji moods: chatter unless negative."""
    verdict = classify_comment(text) or dict(NEUTRAL_CLASSIFICATION)
    # The "!" emoji make a text not chatter: it was asked about, like a negative one.
    if not is_chatter(text) or verdict.get("complaint") or verdict.get("polarity") == "negative":
        return "asked"
    return "thanks" if verdict.get("polarity") == "positive" else "chatter"


def main() -> None:
    """Print the routes of the labelled comments and of everyday chatter."""
    config = ComplaintConfig()
    rows: dict[str, dict[str, object]] = {}
    for name in SETS:
        for line in (ROOT / "scoring" / "data" / f"{name}.jsonl").read_text("utf-8").splitlines():
            row = json.loads(line)
            rows.setdefault(row["text"], row)  # a text in two sets counts once
    now: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
    before: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
    started = time.perf_counter()
    for text, row in rows.items():
        routed, baseline = route(text, config)
        now[bool(row["complaint"])][routed] += 1
        before[bool(row["complaint"])][baseline] += 1
    seconds = time.perf_counter() - started
    for label in (True, False):
        for name, counts in (("before", before[label]), ("now", now[label])):
            total = sum(counts.values())
            shares = ", ".join(f"{k} {v} ({v / total:.1%})" for k, v in sorted(counts.items()))
            print(f"labelled complaint={label}, {name}: {total} comments: {shares}")
    for name, index in (("before", 1), ("now", 0)):
        chatter = Counter(route(text, config)[index] for text in CHATTER)
        print(f"everyday chatter, {name}: {len(CHATTER)} texts: {dict(sorted(chatter.items()))}")
    print(f"{len(rows) / seconds:.0f} texts/s routed (classifier included)")
    emoji = {text: bool(row["complaint"]) for text, row in rows.items()
             if emoji_mood(text) is not None}
    for name, router in (("before", emoji_before),
                         ("now", lambda text, c: route(text, c)[0])):
        pairs = Counter(f"{'complaint' if label else 'not'}→{router(text, config)}"
                        for text, label in emoji.items())
        print(f"emoji only, {name}: {len(emoji)} texts: {dict(sorted(pairs.items()))}")


if __name__ == "__main__":
    main()
