"""Collect independent labels of writer rows and report agreement with the writers' own labels.

Usage: python scripts/relabel_rows.py DIR [DIR ...]   (input.jsonl, labels.jsonl and DONE)

Each labeller session saw only the brief and the texts of about 970 writer rows (ids and texts,
never the writer's labels) and labelled them from the text alone, as the blind set's labellers
did. Valid labels are written to scoring/data/relabels.jsonl with a `labeller` (the
directory's name); Cohen's kappa per field against the writers' labels is printed.
`train.training_rows()` gives a relabelled writer row the labeller's labels (LABELING.md).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "scoring" / "data"
OUT = DATA / "relabels.jsonl"
POLARITIES = ("positive", "negative", "neutral", "mixed")
ASPECTS = ("attitude", "clarity", "timeliness", "resolution")


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def valid(row: object) -> bool:
    """Tell whether a label line has the schema of LABELING.md."""
    if not isinstance(row, dict) or not isinstance(row.get("id"), int):
        return False
    aspects = row.get("aspects")
    return (
        row.get("polarity") in POLARITIES
        and row.get("complaint") is (row.get("polarity") in {"negative", "mixed"})
        and isinstance(aspects, dict)
        and set(aspects) == set(ASPECTS)
        and set(aspects.values()) <= {"pos", "neg", None}
    )


def kappa(pairs: list[tuple[object, object]]) -> float:
    """Cohen's kappa of two labellers over the same items."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    left, right = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(left[k] * right[k] for k in left) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def three_way(polarity: str) -> str:
    """Fold "mixed" into "negative" (issue 13's 3-class polarity)."""
    return "negative" if polarity == "mixed" else polarity


def main(argv: list[str]) -> int:
    """Validate the labellers' files, print agreement, write relabels.jsonl."""
    if not argv:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    writers = {r["id"]: r for r in _read(DATA / "writers.jsonl")}
    kept: list[dict] = []
    for folder in map(Path, argv):
        if not (folder / "DONE").exists():
            print(f"{folder}: no DONE file, skipped", file=sys.stderr)
            continue
        asked = {r["id"] for r in _read(folder / "input.jsonl")}
        rows = [r for r in _read(folder / "labels.jsonl") if valid(r) and r["id"] in asked]
        seen = {r["id"] for r in rows}
        kept += [{"labeller": folder.name, **r} for r in rows if r["id"] in writers]
        print(f"{folder.name}: asked {len(asked)}, valid {len(rows)}, distinct {len(seen)}")
    by_id = {r["id"]: r for r in kept}
    pairs = [(writers[i], r) for i, r in by_id.items()]
    print(f"relabelled writer rows: {len(pairs)}")
    four = kappa([(w["polarity"], r["polarity"]) for w, r in pairs])
    print(f"kappa polarity (4 classes) {four:.3f}")
    print("kappa polarity (3 classes) "
          f"{kappa([(three_way(w['polarity']), three_way(r['polarity'])) for w, r in pairs]):.3f}")
    for aspect in ASPECTS:
        same = [(w["aspects"][aspect], r["aspects"][aspect]) for w, r in pairs]
        moves = Counter(f"{a or 'none'}→{b or 'none'}" for a, b in same if a != b)
        print(f"kappa {aspect} {kappa(same):.3f}  writer→labeller {dict(moves.most_common(4))}")
    agree = sum(
        three_way(w["polarity"]) == three_way(r["polarity"]) and w["aspects"] == r["aspects"]
        for w, r in pairs
    )
    print(f"rows where both agree on 3-class polarity and every aspect: {agree}")
    with OUT.open("w", encoding="utf-8") as fh:
        for i in sorted(by_id):
            fh.write(json.dumps(by_id[i], ensure_ascii=False) + "\n")
    print(f"wrote {len(by_id)} rows to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
