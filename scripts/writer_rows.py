"""Validate comments written by outside writer sessions and append them to writers.jsonl.

Usage: python scripts/writer_rows.py [--data-dir DIR] WRITER_DIR [WRITER_DIR ...]
       (each WRITER_DIR holds rows.jsonl and DONE; --data-dir defaults to scoring/data)

Each writer session wrote labelled comments (LABELING.md schema plus `phenomena` and
`register`) without ever seeing the repository. A row is kept when its schema is valid, its
`complaint` follows its polarity, and its text is not already in train, test or the blind set,
nor a near-duplicate of a test or blind comment (character-bigram Jaccard >= NEAR). The blind
set is read here only to compare: this script prints counts, never a blind text or id.
The kept rows get a `source` (the writer directory's name) and ids after the last one in use,
and are appended after the rows already in writers.jsonl, which stay as they are (ids too): a
directory whose name is already a source there is skipped, so the script can be re-run over
every writer directory and adds only the new ones.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from scoring.classifier import labels

DATA = Path(__file__).resolve().parent.parent / "scoring" / "data"
KEYS = {"text", "polarity", "complaint", "aspects", "phenomena", "register"}
NEAR = 0.8
_NOISE = re.compile(r"[\s\W_]+")
Index = dict[str, list[frozenset[str]]]


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def problem(row: object) -> str | None:
    """Name what is wrong with a writer row, or return None for a valid one."""
    if not isinstance(row, dict) or not set(row) >= KEYS:
        return "fields"
    if not isinstance(row["text"], str) or not row["text"].strip():
        return "text"
    if (why := labels.label_problem(row)) is not None:
        return why
    if not isinstance(row["phenomena"], list) or row["register"] not in {"spoken", "written"}:
        return "phenomena/register"
    return None


def _bigrams(text: str) -> frozenset[str]:
    core = _NOISE.sub("", text.casefold())
    return frozenset(core[i : i + 2] for i in range(len(core) - 1)) or frozenset({core})


def _near(grams: frozenset[str], index: Index) -> bool:
    seen: set[frozenset[str]] = set()
    for g in grams:
        for other in index.get(g, ()):
            if other in seen:
                continue
            seen.add(other)
            if len(grams & other) / len(grams | other) >= NEAR:
                return True
    return False


def _index(texts: list[str]) -> Index:
    index: Index = {}
    for text in texts:
        grams = _bigrams(text)
        for g in grams:
            index.setdefault(g, []).append(grams)
    return index


def _verdict(
    row: object, taken: set[str], blind_exact: set[str], indexes: tuple[Index, Index]
) -> str | None:
    """Say why a writer row is not kept, or return None to keep it."""
    why = problem(row)
    if why is not None or not isinstance(row, dict):
        return f"invalid {why}"
    text = row["text"].strip()
    grams = _bigrams(text)
    blind_index, test_index = indexes
    if text in taken:
        return "duplicate of train/test/another writer row"
    if text in blind_exact:
        return "duplicate of a blind row"
    if _near(grams, blind_index):
        return f"near-duplicate of a blind row (bigram Jaccard >= {NEAR})"
    if _near(grams, test_index):
        return f"near-duplicate of a test row (bigram Jaccard >= {NEAR})"
    return None


def main(argv: list[str]) -> int:
    """Validate new writers' rows, print counts, append the kept ones to writers.jsonl."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DATA)
    parser.add_argument("dirs", type=Path, nargs="+", metavar="WRITER_DIR")
    args = parser.parse_args(argv)
    data: Path = args.data_dir
    out = data / "writers.jsonl"
    train, test = _read(data / "train.jsonl"), _read(data / "test.jsonl")
    existing = _read(out) if out.exists() else []
    topup = data / "blind_topup.jsonl"  # the blind set's later batch, when there is one
    blind_rows = _read(data / "blind.jsonl") + (_read(topup) if topup.exists() else [])
    blind = [r["text"] for r in blind_rows]
    taken = {r["text"].strip() for r in train + test + existing}
    blind_exact = {t.strip() for t in blind}
    indexes = (_index(blind), _index([r["text"] for r in test]))
    sources = Counter(r["source"] for r in existing)
    next_id = max(r["id"] for r in train + test + existing) + 1
    kept: list[dict[str, Any]] = []
    for folder in args.dirs:
        if folder.name in sources:
            print(f"{folder.name}: already in {out.name} ({sources[folder.name]} rows), skipped")
            continue
        if not (folder / "DONE").exists():
            print(f"{folder}: no DONE file, skipped", file=sys.stderr)
            continue
        counts: Counter[str] = Counter()
        for row in _read(folder / "rows.jsonl"):
            counts["read"] += 1
            why = _verdict(row, taken, blind_exact, indexes)
            counts[why or "kept"] += 1
            if why is None:
                text = row["text"].strip()
                taken.add(text)
                kept.append({"id": next_id, "source": folder.name, **row, "text": text})
                next_id += 1
        print(f"{folder.name}: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    ends_open = out.exists() and not out.read_bytes().endswith(b"\n") and out.stat().st_size
    with out.open("a", encoding="utf-8") as fh:
        fh.write("\n" if ends_open else "")
        for row in kept:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    total = len(existing) + len(kept)
    print(f"{len(existing)} rows were in {out}; appended {len(kept)}, now {total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
