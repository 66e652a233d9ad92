"""Benchmark: what masking numbers written with a country code adds to `mask_phones`.

walk11 (09647ab) gave `surveys.core.pii.mask_phones` a third pass: a number written with + or
00 and 8–15 digits ("+852 9123 4567", "0065 9123 4567") is masked too. Every log line and
every staff view goes through it. The baseline, the two passes before it, is the same
function without that pass; both run side by side with timeit on 400-character log lines
(alternating, best of `--repeat`).

    .venv/bin/python bench/phone_masking.py [--number 2000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import functools
import sys
import timeit
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from surveys.core import pii

_HEAD = ("2026-12-06 09:14:03,512 INFO surveys.outbox.dispatch: outbox row 48213 "
         "(complaint_owner_message) to chat 5001 sent as message 9917; ")
_TAIL = ("；上周二报修的厨房水管也在滴水，物业管家说会转给工程部，到现在没有人联系我，"
         "家里老人白天在家，周末也可以，麻烦登记一下并告诉我大概什么时候能来，谢谢。"
         "另外地下车库 B2-117 的灯坏了两个星期了，晚上很暗，希望一并处理。")


def _line(words: str) -> str:
    """A 400-character log line carrying an owner's words."""
    return (_HEAD + "业主说：师傅下午三点来过，热水器还是不出热水，" + words + _TAIL * 2)[:400]


LINES = {
    "no phone": _line("维修费 +120元 已付，工单 WO-2026-004512，3 单元 1502"),
    "a mobile": _line("请打我电话 138 1234 5678，工单 WO-2026-004512，3 单元 1502"),
    "+852 number": _line("我在香港，请打 +852 9123 4567，工单 WO-2026-004512，3 单元 1502"),
}


def baseline(text: str) -> str:
    """`mask_phones` before 09647ab: mobiles and landlines, no country-code pass."""
    return pii._RUN.sub(pii._mask_run, pii._IN_TEXT.sub(lambda m: pii.mask_phone(m.group(0)),
                                                        text))


def main(args: argparse.Namespace) -> None:
    """Time both on each line, alternating, and print µs per line and the ratio."""
    print(f"µs per line, best of {args.repeat} × {args.number} calls, alternating")
    print("line (chars) | before | now | now / before | masked now")
    for name, line in LINES.items():
        best = {"before": float("inf"), "now": float("inf")}
        for _ in range(args.repeat):
            for label, fn in (("before", baseline), ("now", pii.mask_phones)):
                took = timeit.timeit(functools.partial(fn, line), number=args.number)
                best[label] = min(best[label], took / args.number * 1e6)
        masked = pii.mask_phones(line)[len(_HEAD):][28:52]
        print(f"{name} ({len(line)}) | {best['before']:.1f} | {best['now']:.1f} | "
              f"{best['now'] / best['before']:.3f}x | …{masked}…")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    main(parser.parse_args())
