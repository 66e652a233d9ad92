"""Validate comments written by outside writer sessions and write scoring/data/writers.jsonl.

Usage: python scripts/writer_rows.py DIR [DIR ...]   (each DIR holds rows.jsonl and DONE)

Each writer session wrote labelled comments (LABELING.md schema plus `phenomena` and
`register`) without ever seeing the repository. A row is kept when its schema is valid, its
`complaint` follows its polarity, and its text is not already in train, test or the blind set,
nor a near-duplicate of a test or blind comment (character-bigram Jaccard >= NEAR). The blind
set is read here only to compare: this script prints counts, never a blind text or id.
The kept rows get a `source` (the writer directory's name) and ids after the last one in use.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "scoring" / "data"
OUT = DATA / "writers.jsonl"
POLARITIES = {"positive", "negative", "neutral", "mixed"}
ASPECTS = ("attitude", "clarity", "timeliness", "resolution")
KEYS = {"text", "polarity", "complaint", "aspects", "phenomena", "register"}
NEAR = 0.8
_NOISE = re.compile(r"[\s\W_]+")


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def problem(row: object) -> str | None:
    """Name what is wrong with a writer row, or return None for a valid one."""
    if not isinstance(row, dict) or not set(row) >= KEYS:
        return "fields"
    if not isinstance(row["text"], str) or not row["text"].strip():
        return "text"
    if row["polarity"] not in POLARITIES:
        return "polarity"
    aspects = row["aspects"]
    if not isinstance(aspects, dict) or set(aspects) != set(ASPECTS):
        return "aspects"
    if not set(aspects.values()) <= {"pos", "neg", None}:
        return "aspects"
    if row["complaint"] is not (row["polarity"] in {"negative", "mixed"}):
        return "complaint"
    if not isinstance(row["phenomena"], list) or row["register"] not in {"spoken", "written"}:
        return "phenomena/register"
    return None


def _bigrams(text: str) -> frozenset[str]:
    core = _NOISE.sub("", text.casefold())
    return frozenset(core[i : i + 2] for i in range(len(core) - 1)) or frozenset({core})


def _near(grams: frozenset[str], index: dict[str, list[frozenset[str]]]) -> bool:
    seen: set[frozenset[str]] = set()
    for g in grams:
        for other in index.get(g, ()):
            if other in seen:
                continue
            seen.add(other)
            if len(grams & other) / len(grams | other) >= NEAR:
                return True
    return False


def _index(texts: list[str]) -> dict[str, list[frozenset[str]]]:
    index: dict[str, list[frozenset[str]]] = {}
    for text in texts:
        grams = _bigrams(text)
        for g in grams:
            index.setdefault(g, []).append(grams)
    return index


def main(argv: list[str]) -> int:
    """Validate the writers' rows, print counts, write writers.jsonl."""
    dirs = [Path(a) for a in argv]
    if not dirs:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    train, test = _read(DATA / "train.jsonl"), _read(DATA / "test.jsonl")
    blind = [r["text"] for r in _read(DATA / "blind.jsonl")]
    taken = {r["text"].strip() for r in train + test}
    blind_exact = {t.strip() for t in blind}
    test_index, blind_index = _index([r["text"] for r in test]), _index(blind)
    next_id = max(r["id"] for r in train + test) + 1
    kept: list[dict] = []
    for folder in dirs:
        if not (folder / "DONE").exists():
            print(f"{folder}: no DONE file, skipped", file=sys.stderr)
            continue
        counts: Counter[str] = Counter()
        for row in _read(folder / "rows.jsonl"):
            counts["read"] += 1
            why = problem(row)
            text = row["text"].strip() if why is None else ""
            grams = _bigrams(text)
            if why is not None:
                counts[f"invalid {why}"] += 1
            elif text in taken:
                counts["duplicate of train/test/another writer row"] += 1
            elif text in blind_exact:
                counts["duplicate of a blind row"] += 1
            elif _near(grams, blind_index):
                counts[f"near-duplicate of a blind row (bigram Jaccard >= {NEAR})"] += 1
            elif _near(grams, test_index):
                counts[f"near-duplicate of a test row (bigram Jaccard >= {NEAR})"] += 1
            else:
                taken.add(text)
                kept.append({"id": next_id, "source": folder.name, **row, "text": text})
                next_id += 1
                counts["kept"] += 1
        print(f"{folder.name}: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    with OUT.open("w", encoding="utf-8") as fh:
        for row in kept:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(kept)} rows to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
