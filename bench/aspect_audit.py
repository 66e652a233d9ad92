"""Print a seeded sample of AI Challenger reviews that ours tags where the gold has no tag.

Usage: python bench/aspect_audit.py timeliness|attitude [N] [--data-dir DIR]

The sample is what docs/aspect-audit.md judged by hand (same seed; a later classifier changes the
pool, so that file lists the judged rows). Each line: row index, our tag, the evidence word,
the gold columns and the text around the word.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SEED = 20261126
COLUMNS = {"attitude": (4,), "timeliness": (3, 6)}


def main(argv: list[str] | None = None) -> int:
    """Print the audit sample."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("aspect", choices=sorted(COLUMNS))
    parser.add_argument("n", type=int, nargs="?", default=40)
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared/data/sentiment")
    args = parser.parse_args(argv)
    from classifier import read_aichallenger  # bench/classifier.py

    from scoring.classifier import classify

    path = args.data_dir / "aichallenger_aspects_dev.tsv"
    with path.open(encoding="utf-8") as fh:
        raw = [line.split("\t", 1)[0] for line in fh if "\t" in line]
    candidates = []
    for k, (text, gold) in enumerate(read_aichallenger(path, None)):
        result = classify(text)
        tag = result.aspects[args.aspect]
        if gold[args.aspect] is not None or tag is None:
            continue
        labels = dict(item.split("_") for item in raw[k].split(","))
        cols = " ".join(f"{c}={labels.get(str(c))}" for c in COLUMNS[args.aspect])
        word = result.evidence[args.aspect][0].split("…")[-1]
        at = max(0, text.find(word))
        around = text[max(0, at - 40) : at + 30].replace("\n", " ")
        candidates.append((k, f"{k} {tag} [{word}] gold {cols} …{around}…"))
    print(f"{len(candidates)} reviews tagged {args.aspect} where the gold has no pos/neg")
    random.seed(SEED)
    for _, line in sorted(random.sample(candidates, min(args.n, len(candidates)))):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
