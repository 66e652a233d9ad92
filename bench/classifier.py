"""Benchmark the classifier against the baseline `SnowNLP(text).sentiments > 0.5`.

Usage: python bench/classifier.py [--data-dir DIR] [--limit N] [--perf-n N]

Quality: polarity accuracy and macro-F1 on the project's test split and on every public corpus
in the data dir (default ../shared/data/sentiment from the repo root); aspect F1 on the AI
Challenger dev file and the ASAP samples. Speed: throughput on the same comments, cold start
(fresh subprocess: import + first classification), peak RSS of a subprocess that classified
--perf-n comments. Both systems run in the same invocation.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ASPECT_KEYWORDS = {  # the baseline's aspect detector: a mention plus whole-text polarity
    "attitude": ("态度", "服务员", "热情", "耐心", "礼貌"),
    "timeliness": ("速度", "等", "慢", "快", "及时"),
}
BINARY_CORPORA = ("waimai_dev.csv", "ChnSentiCorp_htl_all.csv", "online_shopping_10_cats.csv")


def ours() -> Callable[[str], tuple[str, dict[str, str | None], bool]]:
    """Return a predictor (binary polarity by score sign, aspects, complaint) of ours."""
    from scoring.classifier import classify

    def predict(text: str) -> tuple[str, dict[str, str | None], bool]:
        c = classify(text)
        return ("pos" if c.score > 0 else "neg"), dict(c.aspects), c.complaint

    return predict


def baseline() -> Callable[[str], tuple[str, dict[str, str | None], bool]]:
    """Return the snownlp baseline predictor (aspects: keyword mention + text polarity)."""
    from snownlp import SnowNLP

    def predict(text: str) -> tuple[str, dict[str, str | None], bool]:
        pol = "pos" if SnowNLP(text or " ").sentiments > 0.5 else "neg"
        aspects: dict[str, str | None] = {
            a: (pol if any(k in text for k in kws) else None) for a, kws in ASPECT_KEYWORDS.items()
        }
        return pol, aspects, pol == "neg"

    return predict


def f1_for(gold: Sequence[object], pred: Sequence[object], label: object) -> float:
    """F1 of one label."""
    tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
    fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
    fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def macro_f1(gold: Sequence[object], pred: Sequence[object], labels: Iterable[object]) -> float:
    """Unweighted mean F1 over labels."""
    labels = list(labels)
    return sum(f1_for(gold, pred, lab) for lab in labels) / len(labels)


def accuracy(gold: Sequence[object], pred: Sequence[object]) -> float:
    """Share of exact matches."""
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / max(1, len(gold))


def read_binary(path: Path, limit: int | None) -> list[tuple[str, str]]:
    """Read (text, pos|neg) rows of a label,review CSV."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [
            (r["review"] or "", "pos" if r["label"] == "1" else "neg") for r in csv.DictReader(fh)
        ]
    return rows[:limit] if limit else rows


def own_split(limit: int | None) -> list[dict]:
    """Read the project's test split."""
    path = ROOT / "scoring" / "data" / "test.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return rows[:limit] if limit else rows


def eval_own(systems: dict, limit: int | None) -> dict:
    """Polarity, complaint and aspect figures on the project's test split."""
    from scoring.classifier import classify

    rows = own_split(limit)
    texts = [r["text"] for r in rows]
    out: dict = {"rows": len(rows)}
    gold_pol = [r["polarity"] for r in rows]
    gold_cmp = [r["complaint"] for r in rows]
    results = [classify(t) for t in texts]
    pol = [c.polarity for c in results]
    out["ours"] = {
        "polarity_acc": accuracy(gold_pol, pol),
        "polarity_macro_f1": macro_f1(gold_pol, pol, ("positive", "negative", "neutral", "mixed")),
        "complaint_f1": f1_for(gold_cmp, [c.complaint for c in results], True),
    }
    aspect_f1 = {}
    for aspect in ("attitude", "clarity", "timeliness", "resolution"):
        gold = [r["aspects"][aspect] for r in rows]
        aspect_f1[aspect] = macro_f1(gold, [c.aspects[aspect] for c in results], ("pos", "neg"))
    out["ours"]["aspect_f1"] = aspect_f1
    out["ours"]["aspect_macro_f1"] = statistics.mean(aspect_f1.values())
    base = [systems["baseline"](t) for t in texts]
    base_pol = ["positive" if b[0] == "pos" else "negative" for b in base]
    out["baseline"] = {
        "polarity_acc": accuracy(gold_pol, base_pol),
        "polarity_macro_f1": macro_f1(
            gold_pol, base_pol, ("positive", "negative", "neutral", "mixed")
        ),
        "complaint_f1": f1_for(gold_cmp, [b[2] for b in base], True),
    }
    return out


def eval_binary(path: Path, systems: dict, limit: int | None) -> dict:
    """Accuracy and macro-F1 of positive/negative on one public corpus."""
    rows = read_binary(path, limit)
    gold = [g for _, g in rows]
    out: dict = {"rows": len(rows)}
    for name, predict in systems.items():
        pred = [predict(t)[0] for t, _ in rows]
        out[name] = {"acc": accuracy(gold, pred), "macro_f1": macro_f1(gold, pred, ("pos", "neg"))}
    return out


def _aspect_gold(values: Iterable[int]) -> str | None:
    values = list(values)
    if -1 in values:
        return "neg"
    if 1 in values:
        return "pos"
    return None  # 0 (neutral) and -2 (not mentioned) both mean "no pos/neg tag"


def eval_aspects(rows: list[tuple[str, dict[str, str | None]]], systems: dict) -> dict:
    """Per-aspect macro-F1 over the pos and neg tags, two ways (see docs/benchmarks.md).

    all_rows: every review counts; gold neutral or not mentioned must be predicted as no tag.
    mentioned: only reviews whose gold tag is pos or neg; predicting no tag is a miss.
    """
    out: dict = {"rows": len(rows)}
    for name, predict in systems.items():
        preds = [predict(t)[1] for t, _ in rows]
        scores: dict = {}
        for aspect in ("attitude", "timeliness"):
            gold = [g[aspect] for _, g in rows]
            pred = [p.get(aspect) for p in preds]
            kept = [(g, p) for g, p in zip(gold, pred, strict=True) if g is not None]
            scores[aspect] = {
                "all_rows": macro_f1(gold, pred, ("pos", "neg")),
                "mentioned": macro_f1([g for g, _ in kept], [p for _, p in kept], ("pos", "neg")),
                "mentioned_rows": len(kept),
            }
        out[name] = scores
    return out


def read_aichallenger(path: Path, limit: int | None) -> list[tuple[str, dict[str, str | None]]]:
    """Read AI Challenger rows: idx 4 -> attitude; idx 3 and 6 -> timeliness."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if "\t" not in line:
                continue
            labels, text = line.rstrip("\n").split("\t", 1)
            vals = {}
            for item in labels.split(","):
                idx, _, val = item.partition("_")
                vals[int(idx)] = int(val)
            gold = {
                "attitude": _aspect_gold([vals.get(4, -2)]),
                "timeliness": _aspect_gold([vals.get(3, -2), vals.get(6, -2)]),
            }
            rows.append((text, gold))
    return rows[:limit] if limit else rows


def read_asap(directory: Path, limit: int | None) -> list[tuple[str, dict[str, str | None]]]:
    """Read the ASAP samples: waiters' attitude; wait time and serving speed."""
    rows = []
    for name in ("train_sample.csv", "dev_sample.csv", "test_sample.csv"):
        path = directory / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for r in csv.DictReader(fh):
                gold = {
                    "attitude": _aspect_gold([int(r["service_waiters_attitude"])]),
                    "timeliness": _aspect_gold(
                        [int(r["service_wait_time"]), int(r["service_serving_speed"])]
                    ),
                }
                rows.append((r["reviewbody"], gold))
    return rows[:limit] if limit else rows


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


def _child(code: str, args: list[str]) -> tuple[float, float]:
    """Run a fresh interpreter; return (import + first call seconds, peak RSS MB)."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    first, rss = out.stdout.split()[-2:]
    return float(first), float(rss)


def perf(texts: list[str], perf_n: int, runs: int = 3) -> dict:
    """Throughput in-process; cold start and peak RSS in fresh subprocesses."""
    out: dict = {}
    probe = "维修师傅态度很差，等了三天才来"
    sample = (texts * (perf_n // max(1, len(texts)) + 1))[:perf_n]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "texts.txt"
        path.write_text("\n".join(t.replace("\n", " ") for t in sample), encoding="utf-8")
        for name, code in CHILDREN.items():
            colds = [_child(code, [probe])[0] for _ in range(runs)]
            _, rss = _child(code, [probe, str(path)])
            out[name] = {"cold_start_s": statistics.median(colds), "peak_rss_mb_after_n": rss}
    from snownlp import SnowNLP

    from scoring.classifier import classify

    classify(probe)
    t0 = time.perf_counter()
    for t in texts:
        classify(t)
    ours_rate = len(texts) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for t in texts:
        _ = SnowNLP(t or " ").sentiments
    base_rate = len(texts) / (time.perf_counter() - t0)
    out["ours"]["comments_per_s"] = ours_rate
    out["baseline"]["comments_per_s"] = base_rate
    out["throughput_ratio"] = ours_rate / base_rate
    out["perf_n"] = perf_n
    out["throughput_texts"] = len(texts)
    return out


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark and print a JSON report (and a short table)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared/data/sentiment")
    parser.add_argument("--limit", type=int, default=None, help="max rows per corpus")
    parser.add_argument("--perf-n", type=int, default=10_000, help="comments for the RSS run")
    parser.add_argument("--throughput-n", type=int, default=2_000)
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args(argv)

    systems = {"ours": ours(), "baseline": baseline()}
    report: dict = {"own_test": eval_own(systems, args.limit), "corpora": {}, "notes": []}
    for name in BINARY_CORPORA:
        path = args.data_dir / name
        if not path.exists():
            report["notes"].append(f"skipped missing {path}")
            continue
        print(f"evaluating {name} ...", file=sys.stderr, flush=True)
        report["corpora"][name] = eval_binary(path, systems, args.limit)
    aic = args.data_dir / "aichallenger_aspects_dev.tsv"
    if aic.exists():
        report["aichallenger_aspects"] = eval_aspects(read_aichallenger(aic, args.limit), systems)
    else:
        report["notes"].append(f"skipped missing {aic}")
    asap_rows = read_asap(args.data_dir / "asap", args.limit)
    if asap_rows:
        report["asap_aspects"] = eval_aspects(asap_rows, systems)
    else:
        report["notes"].append("skipped missing asap samples")
    waimai = args.data_dir / "waimai_dev.csv"
    perf_texts = (
        [t for t, _ in read_binary(waimai, None)]
        if waimai.exists()
        else [r["text"] for r in own_split(None)]
    )
    perf_n = min(args.perf_n, args.limit * 10) if args.limit else args.perf_n
    print("measuring speed and memory ...", file=sys.stderr, flush=True)
    report["perf"] = perf(perf_texts[: args.throughput_n], perf_n)
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
