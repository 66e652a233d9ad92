"""Speed and memory of the classifier beside the snownlp baseline (see docs/benchmarks.md).

- throughput: comments per second in this process;
- cold start: a fresh interpreter imports and classifies one comment (median of `runs`);
- peak RSS: VmHWM of a fresh interpreter after `perf_n` comments;
- whole process: wall time of `ownervoice classify FILE` (one JSON line a comment) against a
  script that does the same with snownlp, on the same file, alternating, median of `runs`;
  its peak RSS comes from wait4() on that very child.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import resource, sys, time
t0 = time.perf_counter()
{imp}
{call}(sys.argv[1])
t1 = time.perf_counter()
if len(sys.argv) > 2:
    with open(sys.argv[2], encoding="utf-8") as fh:
        for line in fh:
            {call}(line.rstrip("\\n") or " ")
# ru_maxrss survives exec (it would report the parent's peak); VmHWM is this process's own.
with open("/proc/self/status") as fh:
    hwm = [line.split()[1] for line in fh if line.startswith("VmHWM")]
peak = int(hwm[0]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(t1 - t0, peak / 1024)
"""
CHILDREN = {
    "ours": _CHILD.format(imp="from scoring.classifier import classify", call="classify"),
    "baseline": _CHILD.format(
        imp="from snownlp import SnowNLP\ndef snow(t): return SnowNLP(t).sentiments",
        call="snow",
    ),
}
# Both whole processes report their own peak (VmHWM) on exit: a forked child's ru_maxrss
# starts from the parent's, which has snownlp loaded.
_PEAK = """
import atexit, sys
def _peak():
    with open("/proc/self/status") as fh:
        sys.stderr.write("".join(line for line in fh if line.startswith("VmHWM")))
atexit.register(_peak)
"""
# `ownervoice classify FILE` exactly as the console script runs it.
OURS_CLI = (
    _PEAK
    + """
from bot.cli import main
sys.exit(main(["classify", sys.argv[1]]))
"""
)
# What `ownervoice classify FILE` does, with snownlp in place of the classifier.
SNOW_CLI = (
    _PEAK
    + """
import json
from snownlp import SnowNLP
with open(sys.argv[1], encoding="utf-8") as fh:
    for line in fh:
        text = line.rstrip("\\n")
        score = SnowNLP(text or " ").sentiments
        sys.stdout.write(json.dumps({"text": text, "score": score}, ensure_ascii=False) + "\\n")
"""
)
PROBE = "维修师傅态度很差，等了三天才来"
# Child processes may write bytecode (__pycache__, git-ignored) as any normal run does: an
# environment with PYTHONDONTWRITEBYTECODE set would recompile the project's own modules in
# every run (~15-20 ms each here), while snownlp's were compiled when pip installed it.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _child(code: str, args: list[str]) -> tuple[float, float]:
    """Run a fresh interpreter; return (import + first call seconds, peak RSS MB)."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=CHILD_ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    first, rss = out.stdout.split()[-2:]
    return float(first), float(rss)


def _whole(cmd: list[str]) -> tuple[float, float]:
    """Run one command to the end; return (wall seconds, its own peak RSS MB)."""
    started = time.perf_counter()
    done = subprocess.run(
        cmd,
        cwd=ROOT,
        env=CHILD_ENV,
        stdout=subprocess.DEVNULL,
        capture_output=False,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"{cmd[:3]} exited {done.returncode}: {done.stderr[-300:]}")
    peak = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("VmHWM")]
    return wall, int(peak[-1]) / 1024


def whole_process(texts: list[str], runs: int, one_comment: bool = True) -> dict:
    """Wall time and peak RSS of whole processes classifying `texts` from a file.

    one_comment: also time each whole process on a one-line file (start-up alone).
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "comments.txt"
        path.write_text("".join(t.replace("\n", " ") + "\n" for t in texts), encoding="utf-8")
        one = Path(tmp) / "one.txt"
        one.write_text(PROBE + "\n", encoding="utf-8")
        cmds = {
            "ours": [sys.executable, "-c", OURS_CLI],
            "baseline": [sys.executable, "-c", SNOW_CLI],
        }
        walls: dict[str, list[float]] = {name: [] for name in cmds}
        singles: dict[str, list[float]] = {name: [] for name in cmds}
        rss: dict[str, float] = {}
        for _ in range(runs):
            for name, cmd in cmds.items():
                wall, peak = _whole([*cmd, str(path)])
                walls[name].append(wall)
                rss[name] = max(rss.get(name, 0.0), peak)
                if one_comment:
                    singles[name].append(_whole([*cmd, str(one)])[0])
    out: dict = {"comments": len(texts), "runs": runs}
    for name in cmds:
        out[name] = {
            "wall_s": statistics.median(walls[name]),
            "one_comment_wall_s": statistics.median(singles[name]) if singles[name] else None,
            "peak_rss_mb": rss[name],
        }
    out["ratio"] = out["baseline"]["wall_s"] / out["ours"]["wall_s"]
    return out


def perf(
    texts: list[str], perf_n: int, runs: int = 3, quick: bool = False, throughput_n: int = 2_000
) -> dict:
    """Throughput in-process; cold start and peak RSS in fresh subprocesses.

    texts: the whole-process file; throughput runs on its first `throughput_n`.
    quick: no separate peak-RSS run (the whole-process run reports its own peak), no
    one-comment whole-process run and no baseline cold start (ours is still measured).
    """
    out: dict = {}
    sample = (texts * (perf_n // max(1, len(texts)) + 1))[:perf_n]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "texts.txt"
        path.write_text("\n".join(t.replace("\n", " ") for t in sample), encoding="utf-8")
        for name, code in CHILDREN.items():
            # Quick runs skip snownlp's cold start (~13 s under load): its whole process,
            # timed below, starts it anyway.
            skip = quick and name == "baseline"
            colds = [] if skip else [_child(code, [PROBE])[0] for _ in range(runs)]
            rss = None if quick else _child(code, [PROBE, str(path)])[1]
            cold = statistics.median(colds) if colds else None
            out[name] = {"cold_start_s": cold, "peak_rss_mb_after_n": rss}
    from snownlp import SnowNLP

    from scoring.classifier import classify

    classify(PROBE)
    timed = texts[:throughput_n]
    t0 = time.perf_counter()
    for t in timed:
        classify(t)
    ours_rate = len(timed) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for t in timed:
        _ = SnowNLP(t or " ").sentiments
    base_rate = len(timed) / (time.perf_counter() - t0)
    out["ours"]["comments_per_s"] = ours_rate
    out["baseline"]["comments_per_s"] = base_rate
    out["throughput_ratio"] = ours_rate / base_rate
    out["perf_n"] = perf_n
    out["throughput_texts"] = len(timed)
    out["whole_process"] = whole_process(texts, runs, one_comment=not quick)
    return out
