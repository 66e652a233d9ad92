"""The `ownervoice classify [FILE]` subcommand: one comment a line in, one JSON object out."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO


def register(subparsers: Any) -> None:
    """Add the subcommand's parser."""
    parser = subparsers.add_parser(
        "classify",
        help="classify owner comments (one a line) into JSON lines",
        description="Read one comment a line from FILE (stdin when omitted) and print one JSON "
        "object a line: text, polarity, score, complaint, aspects, evidence.",
    )
    parser.add_argument("file", nargs="?", help="UTF-8 text file, one comment a line")
    parser.set_defaults(func=_run)


def classify_stream(source: TextIO, sink: TextIO) -> int:
    """Write one JSON line to `sink` for every line of `source`; return the count."""
    from scoring.classifier import classify

    count = 0
    for line in source:
        text = line.rstrip("\r\n")
        sink.write(json.dumps(classify(text).to_dict(), ensure_ascii=False) + "\n")
        count += 1
    sink.flush()
    return count


def _run(args: argparse.Namespace) -> int:
    if args.file in (None, "-"):
        classify_stream(sys.stdin, sys.stdout)
        return 0
    try:
        with open(args.file, encoding="utf-8-sig") as fh:
            classify_stream(fh, sys.stdout)
    except OSError as exc:
        print(f"ownervoice classify: {exc}", file=sys.stderr)
        return 2
    return 0
