"""The `ownervoice classify [FILE]` subcommand: one comment a line in, one JSON object out.

Only the classifier is imported on this path (no chat framework, no database), so a whole
run over a file is dominated by the classification itself. Input is read as bytes and
decoded line by line: a file that is not UTF-8 text (GBK, UTF-16, binary) stops with one
translated line and exit code 2 before anything is printed for that line.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from typing import Any, BinaryIO, TextIO


class InputError(Exception):
    """The input is not UTF-8 text; `message` is an untranslated msgid, `values` fill it."""
    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message)
        self.message = message
        self.values = values


def N_(message: str) -> str:
    """Mark a msgid for extraction (translated when the error is shown)."""
    return message


NOT_UTF8 = N_(
    "ownervoice classify: line {line} of {file} is not UTF-8 text (a GBK file? convert it "
    "first, e.g. iconv -f GBK -t UTF-8 {file} > comments.txt)"
)
BINARY = N_("ownervoice classify: {file} looks like a binary file, not text: one comment a line")
UTF16 = N_(
    "ownervoice classify: {file} is UTF-16 text; convert it first, e.g. "
    "iconv -f UTF-16 -t UTF-8 {file} > comments.txt"
)
UNREADABLE = N_("ownervoice classify: cannot read {file}; check the path and permissions")
NOT_FOUND = N_("ownervoice classify: no such file: {file}")


def register(subparsers: Any) -> None:
    """Add the subcommand's parser."""
    parser = subparsers.add_parser(
        "classify",
        help="classify owner comments (one a line) into JSON lines",
        description="Read one comment a line from FILE (stdin when omitted) and print one JSON "
        "object a line: text, polarity, score, complaint, aspects, evidence.",
    )
    parser.add_argument(
        "file", nargs="?", metavar="FILE",
        help="UTF-8 text file, one comment a line; or `learn`: refresh the model from the tag "
        "corrections stored in the database (write ./learn for a file of that name)",
    )
    parser.add_argument(
        "--lang", choices=["zh_CN", "en"], help="language of messages (default: from LANG)"
    )
    parser.add_argument(
        "--data-dir", metavar="DIR",
        help="learned-model directory: `learn` writes it (default classifier.data_dir); "
        "classifying uses the model learned into it instead of the shipped one",
    )
    parser.add_argument(
        "--base", metavar="FILE",
        help="with `learn`: learn on these labelled rows (JSON lines as in "
        "scoring/data/train.jsonl) instead of the shipped training rows",
    )
    parser.add_argument(
        "--learned", action="store_true",
        help="classify with the model learned into the configured classifier.data_dir",
    )
    parser.set_defaults(func=_run)


# Control bytes no text file has (tab, line and page breaks and ESC are allowed): a line with
# one is binary data, even when it happens to decode as UTF-8.
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decoded_lines(source: BinaryIO, name: str) -> Iterable[str]:
    """Yield the lines of a byte stream as text; raise InputError on binary or non-UTF-8."""
    for number, raw in enumerate(source, start=1):
        if number == 1 and raw.startswith(_UTF16_BOMS):
            raise InputError(UTF16, file=name)
        if _CONTROL.search(raw):
            raise InputError(BINARY, file=name)
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise InputError(NOT_UTF8, line=number, file=name) from None
        yield line.rstrip("\r\n")


def classify_stream(lines: Iterable[str], sink: TextIO) -> int:
    """Write one JSON line to `sink` for every text line; return the count."""
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from scoring.classifier import classify

    # One encoder for the whole stream: json.dumps with an option builds a new one per call.
    encode = json.JSONEncoder(ensure_ascii=False).encode
    count = 0
    for text in lines:
        sink.write(encode(classify(text).to_dict()) + "\n")
        count += 1
    sink.flush()
    return count


def _say(args: argparse.Namespace, error: InputError) -> None:
    # why: loaded when this command runs, so `ownervoice --help` stays fast
    from bot.i18n import operator_locale, translator

    tr = translator(args.lang or operator_locale())
    print(tr._(error.message, **error.values), file=sys.stderr)


def _run(args: argparse.Namespace) -> int:
    if args.file == "learn" or args.data_dir or args.learned or args.base:
        # Classifying with the shipped model needs none of learning's imports (datetime, shutil,
        # the database layer), and start-up is a third of a 2,000-line run.
        # why: learning's imports load only for `learn`, --learned, --data-dir and --base
        from bot.cli import learn

        if args.file == "learn":
            return learn.learn(args)
        if args.base:
            learn.refuse_base()
        learn.use_learned(learn.data_dir(args.data_dir))
    name = "stdin" if args.file in (None, "-") else args.file
    try:
        if name == "stdin":
            classify_stream(decoded_lines(sys.stdin.buffer, name), sys.stdout)
        else:
            with open(args.file, "rb") as fh:
                classify_stream(decoded_lines(fh, name), sys.stdout)
    except InputError as exc:
        _say(args, exc)
        return 2
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            # The reader went away (| head): stop quietly, as other Unix tools do.
            sys.stderr.close()
            return 0
        missing = isinstance(exc, FileNotFoundError)
        _say(args, InputError(NOT_FOUND if missing else UNREADABLE, file=name))
        return 2
    return 0
