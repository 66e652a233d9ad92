"""Check that a speed change leaves the classifier's output byte for byte identical.

    .venv/bin/python bench/classifier_identity.py --write /tmp/before.jsonl   # old code
    .venv/bin/python bench/classifier_identity.py --check /tmp/before.jsonl   # new code

Comments: the own test, train and writer rows, the first 2,000 waimai reviews and the first
300 hotel and 300 shopping reviews (long texts), plus a few edge cases (Traditional script,
typos, a line over the length cut). The blind set is never read. Each output line holds the
`ownervoice classify` JSON and, to catch a change the combination happens to hide, a digest
of the rules' verdict and the heads' features. The model files must be the same on both
sides: identity is of the code change, not of a retrained model.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "bench"))

from classifier import _data_dir, read_binary  # noqa: E402

from scoring.classifier import api, rulebased  # noqa: E402
from scoring.classifier import lexicon as lexicons  # noqa: E402

DATA = ROOT / "scoring" / "data"
CORPORA = (("waimai_dev.csv", 2000), ("ChnSentiCorp_htl_all.csv", 300),
           ("online_shopping_10_cats.csv", 300))
EDGE = (
    "",
    "   ",
    "師傅態度很好，處理很及時",
    "师付修号了，谢谢",
    "等了三天才来，态度还很差！！！" * 200,
    "不是慢，是根本不来",
    "整体还可以，就是管家回复太慢了",
    "😀👍 good service",
)


def comments() -> list[str]:
    """Return every comment the check classifies, in a fixed order."""
    texts: list[str] = []
    for split in ("test", "train", "writers"):
        path = DATA / f"{split}.jsonl"
        texts += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line]
    for name, limit in CORPORA:
        path = _data_dir() / name
        if not path.exists():
            print(f"missing {path}: skipped", file=sys.stderr)
            continue
        texts += [text for text, _ in read_binary(path, None)[:limit]]
    return texts + list(EDGE)


def _canon(value: Any) -> Any:
    """Round floats to 12 digits: summing the same terms in another order may move the last
    bit (sets iterate in hash order), which no output shows."""
    if isinstance(value, float):
        return f"{value:.12g}"
    if isinstance(value, dict):
        return sorted((k, _canon(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return [_canon(v) for v in value]
    return value


def line(text: str) -> str:
    """Return the check line of one comment: the CLI's JSON and a digest of the internals."""
    out = json.dumps(api.classify(text).to_dict(), ensure_ascii=False)
    normalized, tokens = api.prepare(text)
    if not tokens:
        return out
    verdict = rulebased.decide(tokens, lexicons.load())
    feats = api.comment_features(normalized, tokens, verdict)
    inner = repr(_canon([tokens, dataclasses.asdict(verdict), feats]))
    return out + "\t" + hashlib.sha1(inner.encode("utf-8")).hexdigest()


def main(argv: list[str] | None = None) -> int:
    """Write the reference file, or compare against it; exit 1 on any difference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", type=Path, help="write the reference lines here")
    mode.add_argument("--check", type=Path, help="compare with a reference written before")
    args = parser.parse_args(argv)
    if os.environ.get("PYTHONHASHSEED") != "0":
        # Sets iterate in hash order: a fixed seed makes two runs comparable at all.
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable, *sys.argv])
    lines = [line(t) for t in comments()]
    if args.write:
        args.write.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(lines)} comments written to {args.write}")
        return 0
    before = args.check.read_text(encoding="utf-8").splitlines()
    if len(before) != len(lines):
        print(f"different number of comments: {len(before)} before, {len(lines)} now")
        return 1
    diffs = [k for k, (a, b) in enumerate(zip(before, lines, strict=True)) if a != b]
    for k in diffs[:5]:
        print(f"comment {k}:\n  before {before[k][:300]}\n  now    {lines[k][:300]}")
    print(f"{len(lines)} comments, {len(diffs)} different")
    return 1 if diffs else 0


if __name__ == "__main__":
    raise SystemExit(main())
