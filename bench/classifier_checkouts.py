"""Whole-process cost of `ownervoice classify FILE` in two or more checkouts, side by side.

    git worktree add /tmp/before <commit>        # the code (and model) to compare against
    .venv/bin/python bench/classifier_checkouts.py /tmp/before .

Each checkout runs the CLI on the same file (default: the first 2,000 waimai reviews) with
this interpreter and that checkout first on the path, alternating, `--runs` times; printed
are the median wall and CPU seconds (user + system of the child). Comparing code or model
changes on a noisy machine needs the alternation: each run's neighbours share its load.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from classifier import _data_dir

_CLI = "import sys; from bot.cli import main; sys.exit(main(['classify', sys.argv[1]]))"


def _reviews(n: int) -> Path:
    """Write the first n waimai reviews, one a line, to a temporary file."""
    with (_data_dir() / "waimai_dev.csv").open(encoding="utf-8") as fh:
        texts = [row["review"] for _, row in zip(range(n), csv.DictReader(fh), strict=False)]
    fd, name = tempfile.mkstemp(suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("\n".join(texts) + "\n")
    return Path(name)


def _run(checkout: Path, comments: Path) -> tuple[float, float]:
    """Return wall and CPU seconds of one CLI run in `checkout`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", _CLI, str(comments)],
        cwd=checkout,
        env={**os.environ, "PYTHONPATH": str(checkout)},
        stdout=subprocess.DEVNULL,
        check=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    """Time the CLI in each checkout, alternating; print median wall and CPU seconds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", type=Path, nargs="+")
    parser.add_argument("--file", type=Path, help="comments, one a line (default: waimai)")
    parser.add_argument("-n", type=int, default=2_000, help="waimai reviews when no --file")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    comments = args.file or _reviews(args.n)
    times: dict[Path, list[tuple[float, float]]] = {c: [] for c in args.checkouts}
    for checkout in args.checkouts:
        _run(checkout, comments)  # warm: page cache, flat tables in the temporary directory
    for _ in range(args.runs):
        for checkout in args.checkouts:
            times[checkout].append(_run(checkout, comments))
    for checkout, runs in times.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"{checkout}: wall {wall:.2f} s, CPU {cpu:.2f} s (median of {args.runs})")
    if args.file is None:
        comments.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
