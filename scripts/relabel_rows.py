"""Collect independent readers' labels of training rows, and settle the readers' disputes.

Usage:
  python scripts/relabel_rows.py read DIR [DIR ...]       (input.jsonl, labels.jsonl, DONE)
  python scripts/relabel_rows.py disputes --out PREFIX --sessions N [--sources w21,train]
  python scripts/relabel_rows.py adjudicated DIR [DIR ...] (input.jsonl, labels.jsonl, DONE)

Each reader session saw only the brief and the texts of about 950 rows of writers.jsonl or of
the train or test split (ids and texts, never the author's labels) and labelled them from the text
alone, as the blind set's labellers did. `read` adds their valid labels to
scoring/data/relabels.jsonl with a `labeller` (the directory's name; a directory read again
replaces its earlier lines) and prints Cohen's kappa per field between the first two readers
of a row and against the authors' labels. `disputes` writes, for every row whose first two
readers differ on any field and that no adjudicator has settled, the text and both readings
into N new directories for adjudicator sessions; `adjudicated` adds their decisions to
scoring/data/adjudications.jsonl. `train.training_rows()` trains on the final labels
(`labels.final_labels`: agreed, else adjudicated), as LABELING.md describes.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from scoring.classifier import labels
from scoring.classifier.lexicon import ASPECTS

DATA = Path(__file__).resolve().parent.parent / "scoring" / "data"
READINGS = DATA / "relabels.jsonl"
ADJUDICATIONS = DATA / "adjudications.jsonl"
Row = dict[str, Any]


def _read(path: Path) -> list[Row]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _write(path: Path, rows: list[Row]) -> None:
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    path.write_text(text, encoding="utf-8")


def kappa(pairs: list[tuple[object, object]]) -> float:
    """Cohen's kappa of two labellers over the same items."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    left, right = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(left[k] * right[k] for k in left) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def authored() -> dict[int, Row]:
    """Return the rows readers may label by id, each with its `source` (writer or split)."""
    rows = _read(DATA / "writers.jsonl")
    for split in ("train", "test"):
        rows += [{**r, "source": split} for r in _read(DATA / f"{split}.jsonl")]
    return {r["id"]: r for r in rows}


def collect(folders: list[Path], role: str, allowed: set[int]) -> list[Row]:
    """Return the valid label lines of finished session directories, named after them."""
    kept: list[Row] = []
    for folder in folders:
        if not (folder / "DONE").exists():
            print(f"{folder}: no DONE file, skipped", file=sys.stderr)
            continue
        asked = {r["id"] for r in _read(folder / "input.jsonl")} & allowed
        rows = [r for r in _read(folder / "labels.jsonl")
                if isinstance(r.get("id"), int) and r["id"] in asked
                and labels.label_problem(r) is None]
        once = {r["id"]: r for r in reversed(rows)}  # a repeated id keeps its first line
        kept += [{role: folder.name, "id": i, **{k: once[i][k] for k in labels.LABEL_KEYS}}
                 for i in sorted(once)]
        print(f"{folder.name}: asked {len(asked)}, valid {len(rows)}, distinct {len(once)}")
    return kept


def agreement(title: str, pairs: list[tuple[Row, Row]]) -> None:
    """Print Cohen's kappa per field of two labellings of the same rows, and how they differ."""
    if not pairs:
        return
    print(f"{title}: {len(pairs)} rows")
    four = [(a["polarity"], b["polarity"]) for a, b in pairs]
    three = [(labels.three_way(a), labels.three_way(b)) for a, b in four]
    print(f"  kappa polarity (4 classes) {kappa(four):.3f}, (3 classes) {kappa(three):.3f}")
    for aspect in ASPECTS:
        same = [(a["aspects"][aspect], b["aspects"][aspect]) for a, b in pairs]
        moves = Counter(f"{x or 'none'}→{y or 'none'}" for x, y in same if x != y)
        print(f"  kappa {aspect} {kappa(same):.3f}  {dict(moves.most_common(4))}")
    print(f"  rows agreeing on every field: {sum(labels.agree(a, b) for a, b in pairs)}")


def by_id(readings: list[Row]) -> dict[int, list[Row]]:
    """Group readings by row id, in file order (the first is reader A)."""
    grouped: dict[int, list[Row]] = defaultdict(list)
    for r in readings:
        grouped[r["id"]].append(r)
    return grouped


def name_clashes(earlier: list[Row], new: list[Row]) -> set[str]:
    """Return the names that earlier labelled rows this reading does not: not a re-read."""
    new_ids: dict[str, set[int]] = defaultdict(set)
    for r in new:
        new_ids[r["labeller"]].add(r["id"])
    return {r["labeller"] for r in earlier
            if r["labeller"] in new_ids and r["id"] not in new_ids[r["labeller"]]}


def read(folders: list[Path]) -> int:
    """Add the readers' labels to relabels.jsonl and print their agreement."""
    rows = authored()
    new = collect(folders, "labeller", set(rows))
    names = {r["labeller"] for r in new}
    earlier = _read(READINGS)
    # A directory read again replaces its lines; one that reuses an older reader's name would
    # silently drop that reader's labels of other rows (it happened once: ua1–ub3).
    if clashes := name_clashes(earlier, new):
        print(f"refused: {', '.join(sorted(clashes))} already labelled other rows; "
              "give the directories new names", file=sys.stderr)
        return 2
    readings = [r for r in earlier if r["labeller"] not in names] + new
    grouped = by_id(readings)
    _write(READINGS, [r for i in sorted(grouped) for r in grouped[i]])
    print(f"wrote {len(readings)} readings of {len(grouped)} rows to {READINGS}")
    two = [(g[0], g[1]) for g in grouped.values() if len(g) > 1]
    agreement("first reader vs second reader", two)
    finals = labels.final_labels(readings, _read(ADJUDICATIONS))
    agreement("authors vs final labels", [(rows[i], f) for i, f in finals.items()])
    return 0


def disputed(*, settled_too: bool = False) -> list[int]:
    """Return the ids whose first two readers differ (and, unless asked, nobody settled)."""
    settled = set() if settled_too else {a["id"] for a in _read(ADJUDICATIONS)}
    return [i for i, g in sorted(by_id(_read(READINGS)).items())
            if len(g) > 1 and i not in settled
            and not labels.agree(g[0], g[1])]


def disputes(prefix: str, sessions: int, sources: set[str]) -> int:
    """Write the unsettled disputes, shuffled, into `sessions` adjudicator directories."""
    rows, grouped = authored(), by_id(_read(READINGS))
    ids = [i for i in disputed() if not sources or rows[i]["source"] in sources]
    random.Random(13).shuffle(ids)
    size = -(-len(ids) // sessions)
    for n in range(sessions):
        folder = Path(f"{prefix}{n + 1}")
        folder.mkdir(parents=True, exist_ok=True)
        items = [{"id": i, "text": rows[i]["text"],
                  **{f"reader_{s}": {k: g[k] for k in ("polarity", "aspects")}
                     for s, g in zip("AB", grouped[i], strict=False)}}
                 for i in ids[n * size:(n + 1) * size]]
        _write(folder / "input.jsonl", items)
        print(f"{folder}: {len(items)} disputed rows")
    return 0


def adjudicated(folders: list[Path]) -> int:
    """Add the adjudicators' decisions to adjudications.jsonl."""
    new = collect(folders, "adjudicator", set(disputed(settled_too=True)))
    names = {r["adjudicator"] for r in new}
    kept = [r for r in _read(ADJUDICATIONS) if r["adjudicator"] not in names] + new
    _write(ADJUDICATIONS, sorted(kept, key=lambda r: r["id"]))
    print(f"wrote {len(kept)} decisions to {ADJUDICATIONS}; still disputed: {len(disputed())}")
    return 0


def main(argv: list[str]) -> int:
    """Run one of the three steps."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    steps.add_parser("read").add_argument("dirs", type=Path, nargs="+")
    step = steps.add_parser("disputes")
    step.add_argument("--out", required=True)
    step.add_argument("--sessions", type=int, default=1)
    step.add_argument("--sources", default="",
                      help="only rows of these writers (w21,w22) or splits (train,test)")
    steps.add_parser("adjudicated").add_argument("dirs", type=Path, nargs="+")
    args = parser.parse_args(argv)
    if args.step == "disputes":
        return disputes(args.out, args.sessions, set(filter(None, args.sources.split(","))))
    return read(args.dirs) if args.step == "read" else adjudicated(args.dirs)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
