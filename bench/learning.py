"""Benchmark learning from corrections: 200 corrections from a held-out stream, F1 on the rest.

Usage: python bench/learning.py [--corrections 200] [--seeds 3] [--policy cards|all|both]
       [--stream restaurant|waimai] [--without-confirmed] [--data-dir DIR] [--json FILE]

Each stream is shuffled (one order per seed) and read in order as a deployment would see it:
the shipped classifier tags each comment; where its tags disagree with the stream's gold, a
person corrects them (the gold for the fields the stream labels, the shipped verdict for the
others), until there are N corrections. Policy "cards" (the product): only comments the
shipped model made complaints reach a card, so only those are corrected, and the cards people
let stand are the confirmations (`confirmed_examples`); "all": every comment is reviewed (an
upper bound). `scoring.classifier.learning.learn` then refreshes the heads and the lexicon
overrides from the corrections, the confirmations and the shipped training rows, and both
models — shipped (no learning) and learned — classify the rest of the stream, side by side in
this process. The project's own test split is scored too, to show what learning on one
deployment's corrections does to everything else.

Streams (public corpora in the data dir, default ../shared/data/sentiment; never used to
train what ships — the learned models here are thrown away after the run):
- restaurant: AI Challenger dev (1,000 reviews) + ASAP samples (300): attitude and
  timeliness tags (pos / neg / none) of every review, under the corpora's own conventions;
- waimai: takeaway reviews (waimai_dev, 9,589): the complaint flag (a negative review).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from classifier import _data_dir, own_split, read_aichallenger, read_asap, read_binary  # noqa: E402
from classifier_metrics import ASPECTS, f1_for, labelled_figures  # noqa: E402

from scoring.classifier import Classification, classify, learning  # noqa: E402

POLICIES = {"cards": "complaint cards (the product)", "all": "every comment (upper bound)"}


@dataclass(frozen=True)
class Item:
    """One stream comment with the fields its corpus labels (others: None, not known)."""

    text: str
    aspects: dict[str, str | None]  # only the labelled aspects
    complaint: bool | None


@dataclass(frozen=True)
class Stream:
    name: str
    items: list[Item]
    score: Callable[[Sequence[Item], Sequence[Classification]], dict[str, float]]


def restaurant_score(items: Sequence[Item], preds: Sequence[Classification]) -> dict[str, float]:
    """F1 of each attitude/timeliness tag over every review, and their mean."""
    out = {}
    for aspect in ("attitude", "timeliness"):
        gold = [i.aspects[aspect] for i in items]
        pred = [p.aspects.get(aspect) for p in preds]
        for tag in ("pos", "neg"):
            out[f"{aspect}_{tag}"] = f1_for(gold, pred, tag)
    out["tag_macro_f1"] = statistics.mean(out.values())
    return out


def complaint_score(items: Sequence[Item], preds: Sequence[Classification]) -> dict[str, float]:
    """F1 of the complaint flag."""
    return {"complaint_f1": f1_for([i.complaint for i in items], [p.complaint for p in preds],
                                   True)}


def streams(data_dir: Path) -> list[Stream]:
    """Read the streams whose corpora are present."""
    found = []
    rows = []
    aic = data_dir / "aichallenger_aspects_dev.tsv"
    if aic.exists():
        rows += read_aichallenger(aic, None)
    rows += read_asap(data_dir / "asap", None)
    if rows:
        found.append(Stream("restaurant (AI Challenger + ASAP): attitude, timeliness tags",
                            [Item(t, dict(g), None) for t, g in rows], restaurant_score))
    waimai = data_dir / "waimai_dev.csv"
    if waimai.exists():
        found.append(Stream("waimai: complaint flag",
                            [Item(t, {}, g == "neg") for t, g in read_binary(waimai, None)],
                            complaint_score))
    return found


def wrong(item: Item, pred: Classification, policy: str = "cards") -> bool:
    """Tell whether a person would correct the shipped verdict on this item.

    "cards": only comments that became complaints reach a card, so only they are corrected
    (the product); "all": every comment is reviewed (an upper bound the product lacks).
    """
    if policy == "cards" and not pred.complaint:
        return False
    if item.complaint is not None and item.complaint != pred.complaint:
        return True
    return any(pred.aspects.get(a) != v for a, v in item.aspects.items())


def correction(item: Item, pred: Classification) -> learning.Correction:
    """Return the person's correction: the gold where the stream has one, else the verdict."""
    aspects = {a: item.aspects.get(a, pred.aspects.get(a)) for a in ASPECTS}
    complaint = pred.complaint if item.complaint is None else item.complaint
    if not complaint:  # a comment that is no complaint has no complained-of aspect
        aspects = {a: None if v == "neg" else v for a, v in aspects.items()}
    return learning.Correction(item.text, aspects, complaint)


@dataclass(frozen=True)
class Split:
    corrections: list[learning.Correction]
    confirmed: list[learning.Correction]  # cards people saw and let stand
    rest: list[Item]
    shipped: list[Classification]  # the shipped verdicts on the rest
    read: int


def split(items: list[Item], n: int, seed: int, policy: str = "cards") -> Split:
    """Walk a shuffled stream until n corrections; return them, the rest and its shipped tags."""
    order = items[:]
    random.Random(seed).shuffle(order)
    found: list[learning.Correction] = []
    confirmed: list[learning.Correction] = []
    read = 0
    for item in order:
        read += 1
        pred = classify(item.text)
        if wrong(item, pred, policy):
            found.append(correction(item, pred))
            if len(found) == n:
                break
        elif policy == "all" or pred.complaint:
            confirmed.append(correction(item, pred))
    rest = order[read:]
    return Split(found, confirmed, rest, [classify(i.text) for i in rest], read)


def own_test() -> dict[str, float]:
    """Aspect macro-F1 and complaint F1 on the project's own test split (the model in use)."""
    rows = own_split()
    preds = [classify(r["text"]).to_dict() for r in rows]
    figures = labelled_figures(rows, preds)
    return {"aspect_macro_f1": figures["aspect_macro_f1"],
            "complaint_f1": figures["complaint_f1"]}


def run_stream(stream: Stream, n: int, seeds: int, policy: str, confirmed: bool = True
               ) -> dict:
    """Run one stream for every seed; return per-seed and mean figures."""
    runs = []
    for seed in range(seeds):
        started = time.perf_counter()
        sp = split(stream.items, n, seed, policy)
        if len(sp.corrections) < n or not sp.rest:
            # Scoring an empty rest would print F1 0.0 for both sides, which reads as a result.
            print(f"{stream.name} [{policy}] seed {seed}: the stream ran out after "
                  f"{len(sp.corrections)} corrections (asked {n}); nothing left to score. "
                  "Use fewer --corrections or --policy all.", file=sys.stderr, flush=True)
            continue
        with tempfile.TemporaryDirectory() as tmp:
            learned = learning.learn(sp.corrections,
                                     confirmed=sp.confirmed if confirmed else (),
                                     directory=Path(tmp))
            words = (Path(tmp) / learned.overrides_file).read_text(encoding="utf-8")
            learning.activate(Path(tmp))
            try:
                after = [classify(i.text) for i in sp.rest]
                own = own_test()
            finally:
                learning.activate(None)
        runs.append({
            "seed": seed, "read": sp.read, "corrections": len(sp.corrections),
            "confirmed": len(sp.confirmed), "rest": len(sp.rest),
            "overrides": learned.overrides,
            "override_lines": [" ".join(ln.split()) for ln in words.splitlines()
                               if ln.strip() and not ln.startswith("#")],
            "shipped": stream.score(sp.rest, sp.shipped),
            "learned": stream.score(sp.rest, after), "own_test_learned": own,
            "seconds": round(time.perf_counter() - started, 1),
        })
        print(f"{time.strftime('%H:%M:%S')} {stream.name} [{policy}] seed {seed}: "
              f"{json.dumps(runs[-1]['shipped'])} -> {json.dumps(runs[-1]['learned'])}",
              file=sys.stderr, flush=True)
    if not runs:
        return {"stream": stream.name, "policy": policy, "items": len(stream.items),
                "runs": [], "mean": {}}
    keys = runs[0]["shipped"].keys()
    mean = {side: {k: statistics.mean(r[side][k] for r in runs) for k in keys}
            for side in ("shipped", "learned")}
    return {"stream": stream.name, "policy": policy, "items": len(stream.items),
            "runs": runs, "mean": mean}


def table(report: dict) -> str:
    """Render the report as Markdown."""
    confirmed = "" if report["confirmed"] else " (corrections alone: --without-confirmed)"
    lines = [f"Corrections per run: {report['corrections']}{confirmed}; seeds: "
             f"{report['seeds']}; bench time {report['seconds']} s.", "",
             "| stream | corrected | measure | no learning | learned | change | "
             "runs (no → learned) |",
             "|---|---|---|---|---|---|---|"]
    for s in report["streams"]:
        if not s["runs"]:
            lines.append(f"| {s['stream']} | {POLICIES[s['policy']]} | — | ran out before "
                         f"{report['corrections']} corrections | | | |")
        for key, shipped in s["mean"].get("shipped", {}).items():
            learned = s["mean"]["learned"][key]
            per_run = ", ".join(f"{r['shipped'][key]:.3f}→{r['learned'][key]:.3f}"
                                for r in s["runs"])
            lines.append(f"| {s['stream']} | {POLICIES[s['policy']]} | {key} | {shipped:.3f} "
                         f"| {learned:.3f} | {learned - shipped:+.3f} | {per_run} |")
    own = report["own_test_shipped"]
    lines += ["", "Own test split (not the stream), shipped model: "
              f"aspect macro-F1 {own['aspect_macro_f1']:.3f}, complaint F1 "
              f"{own['complaint_f1']:.3f}; with each learned model:"]
    for s in report["streams"]:
        for r in s["runs"]:
            o = r["own_test_learned"]
            lines.append(f"- {s['stream']} [{s['policy']}], seed {r['seed']}: aspect "
                         f"macro-F1 {o['aspect_macro_f1']:.3f}, complaint F1 "
                         f"{o['complaint_f1']:.3f} ({r['read']} comments read: "
                         f"{r['corrections']} corrected, {r['confirmed']} confirmed; "
                         f"{r['rest']} left; lexicon overrides: "
                         f"{', '.join(r['override_lines']) or 'none'})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=_data_dir())
    parser.add_argument("--corrections", type=int, default=200)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--policy", choices=[*POLICIES, "both"], default="both")
    parser.add_argument("--without-confirmed", action="store_true",
                        help="learn from the corrections alone (shows why confirmations "
                        "are needed)")
    parser.add_argument("--stream", choices=["restaurant", "waimai"],
                        help="run one stream only")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    policies = list(POLICIES) if args.policy == "both" else [args.policy]
    found = streams(args.data_dir)
    if not found:
        print(f"no stream corpora under {args.data_dir}", file=sys.stderr)
        return 2
    report = {"corrections": args.corrections, "seeds": args.seeds,
              "own_test_shipped": own_test(),
              "confirmed": not args.without_confirmed,
              "streams": [run_stream(s, args.corrections, args.seeds, policy,
                                     not args.without_confirmed)
                          for policy in policies for s in found
                          if args.stream is None or s.name.startswith(args.stream)]}
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(table(report))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
