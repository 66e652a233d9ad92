"""Build a blind top-up set: new comments written and labelled as the blind set was (LABELING.md).

Usage:
  python scripts/blind_topup.py texts WRITER_DIR [...] --readers DIR_A DIR_B
  python scripts/blind_topup.py disputes --readers DIR_A DIR_B --out DIR_ADJ
  python scripts/blind_topup.py build --readers DIR_A DIR_B --adjudicator DIR_ADJ

`texts` takes the writers' comments (rows.jsonl and DONE in each writer directory), drops
invalid lines, exact duplicates and near-duplicates (character-bigram Jaccard >= 0.8) of every
comment the project already has (train, test, writers, the blind set), shuffles them, gives
them ids t0001 … and writes the same id-and-text file for both readers; the writers' phenomenon
tags and registers are kept in `topup_meta.jsonl` of the first reader's directory's parent.
`disputes` writes the comments the two readers label differently for the adjudicator.
`build` writes scoring/data/blind_topup.jsonl (agreed labels, else the adjudicator's:
`labels.final_labels`) and prints Cohen's kappa per field. Like the blind set's tools, it
prints counts only, never a text.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from relabel_rows import agreement
from writer_rows import DATA, _bigrams, _index, _near, _read

from scoring.classifier import labels

OUT = DATA / "blind_topup.jsonl"
Row = dict[str, Any]


def _write(path: Path, rows: list[Row]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


def texts(writers: list[Path], readers: list[Path]) -> int:
    """Collect the writers' comments, drop duplicates of known comments, write reader inputs."""
    known = [r["text"] for name in ("train", "test", "writers", "blind")
             for r in _read(DATA / f"{name}.jsonl")]
    exact, index = set(known), _index(known)
    kept: list[Row] = []
    dropped: Counter[str] = Counter()
    for folder in writers:
        for row in _read(folder / "rows.jsonl") if (folder / "DONE").exists() else []:
            text = str(row.get("text") or "").strip()
            why = ("invalid" if not text or not isinstance(row.get("phenomena"), list)
                   else "duplicate" if text in exact
                   else "near-duplicate" if _near(_bigrams(text), index) else None)
            if why:
                dropped[why] += 1
                continue
            exact.add(text)
            kept.append({"text": text, "phenomena": row["phenomena"],
                         "register": row.get("register") or "spoken", "writer": folder.name})
    random.Random(914).shuffle(kept)
    for n, row in enumerate(kept, start=1):
        row["id"] = f"t{n:04d}"
    for folder in readers:
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder / "input.jsonl", [{"id": r["id"], "text": r["text"]} for r in kept])
    _write(readers[0].parent / "topup_meta.jsonl", kept)
    print(f"kept {len(kept)}; dropped {dict(dropped)}")
    return 0


def _readings(folder: Path) -> dict[str, Row]:
    asked = [r["id"] for r in _read(folder / "input.jsonl")]
    rows = {r["id"]: r for r in _read(folder / "labels.jsonl")
            if r.get("id") in asked and labels.label_problem(r) is None}
    missing = len(set(asked) - set(rows))
    if missing:
        print(f"{folder.name}: {missing} comments without a valid label", file=sys.stderr)
    return rows


def disputes(readers: list[Path], out: Path) -> int:
    """Write the comments whose two readings differ, with both readings, for the adjudicator."""
    a, b = (_readings(f) for f in readers)
    meta = {r["id"]: r for r in _read(readers[0].parent / "topup_meta.jsonl")}
    items = [{"id": i, "text": meta[i]["text"],
              "reader_A": {k: a[i][k] for k in ("polarity", "aspects")},
              "reader_B": {k: b[i][k] for k in ("polarity", "aspects")}}
             for i in sorted(set(a) & set(b)) if not labels.agree(a[i], b[i])]
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "input.jsonl", items)
    print(f"{len(items)} disputed of {len(set(a) & set(b))}")
    return 0


def build(readers: list[Path], adjudicator: Path) -> int:
    """Write blind_topup.jsonl from the agreed and adjudicated labels; print kappa per field."""
    a, b = (_readings(f) for f in readers)
    decided = _readings(adjudicator) if (adjudicator / "DONE").exists() else {}
    meta = _read(readers[0].parent / "topup_meta.jsonl")
    finals = labels.final_labels([*a.values(), *b.values()], decided.values())
    # Only comments both readers labelled, and whose dispute (if any) is settled.
    rows = [{"id": m["id"], "text": m["text"], "phenomena": m["phenomena"],
             "register": m["register"], **finals[m["id"]]}
            for m in meta if m["id"] in a and m["id"] in b
            and (labels.agree(a[m["id"]], b[m["id"]]) or m["id"] in decided)]
    agreement("reader A vs reader B", [(a[i], b[i]) for i in sorted(set(a) & set(b))])
    _write(OUT, rows)
    print(f"wrote {len(rows)} comments to {OUT} ({len(decided)} adjudicated)")
    return 0


def main(argv: list[str]) -> int:
    """Run one step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("texts", "disputes", "build"))
    parser.add_argument("writers", type=Path, nargs="*")
    parser.add_argument("--readers", type=Path, nargs=2, required=True)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--adjudicator", type=Path)
    args = parser.parse_args(argv)
    if args.step == "texts":
        return texts(args.writers, args.readers)
    if args.step == "disputes":
        return disputes(args.readers, args.out)
    return build(args.readers, args.adjudicator)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
