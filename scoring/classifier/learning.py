"""Learning from corrections: refresh the learned heads and the lexicon overrides from the
comments people corrected plus the shipped training rows, into a data directory.

`learn` writes a directory (never inside the installed package); `activate` makes `classify`
use one (the shipped model while it holds nothing); `refresh` picks up a newer model another
process wrote there. A reader never sees half a model: the versioned files are written first,
the manifest that names them last.

    manifest.json               version, when, how many corrections, the two files below
    heads-<version>.json.gz     the learned heads retrained with the corrections
    overrides-<version>.txt     lexicon overrides (overrides.py), readable and editable

`learn` changes process-wide state while it trains (it reads the shipped lexicons and model);
the bot runs it in a process of its own (`ownervoice classify learn`).
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scoring.classifier import api, heads, labels, lexicon, overrides, train
from scoring.classifier.learn_lexicon import Labelled, silenced

MANIFEST = "manifest.json"
CORRECTION_WEIGHT = 1.0  # a corrected comment counts like a shipped training row
REFRESH_SECONDS = 60.0
PACKAGES = tuple(Path(__file__).resolve().parents[2] / name for name in ("scoring", "surveys",
                                                                         "bot"))


@dataclass(frozen=True)
class Correction:
    """A comment with the aspects people settled on and whether it is a complaint."""

    text: str
    aspects: Mapping[str, str | None]
    complaint: bool


@dataclass(frozen=True)
class Learned:
    """What a learned directory holds (its manifest)."""

    directory: str
    version: str
    created_at: str
    corrections: int
    overrides: int
    features: int
    heads_file: str
    overrides_file: str


class LearningError(Exception):
    """Learning cannot run, or a learned directory cannot be used; `code` says why."""

    NO_CORRECTIONS = "no_corrections"
    IN_PACKAGE = "in_package"
    UNWRITABLE = "unwritable"
    BROKEN = "broken"
    BAD_BASE = "bad_base"

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def _resolved(directory: Path, code: str) -> Path:
    """Return the directory with ~ and links resolved; one the system cannot follow (a
    symbolic link loop: RuntimeError on Python 3.11, OSError later) is refused with `code`."""
    try:
        return directory.expanduser().resolve()
    except (OSError, RuntimeError) as exc:
        raise LearningError(code, str(directory)) from exc


def check_directory(directory: Path) -> Path:
    """Return the directory resolved; refuse one inside the installed package."""
    resolved = _resolved(directory, LearningError.UNWRITABLE)
    for package in PACKAGES:
        if resolved == package or package in resolved.parents:
            raise LearningError(LearningError.IN_PACKAGE, str(resolved))
    return resolved


def _labelled_row(row: object) -> bool:
    text = row.get("text") if isinstance(row, dict) else None
    return isinstance(text, str) and labels.label_problem(row) is None


def read_base(path: Path) -> list[dict[str, Any]]:
    """Read training rows to learn on instead of the shipped ones (train.jsonl's schema)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines if line.strip()]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise LearningError(LearningError.BAD_BASE, str(path)) from exc
    if not rows or not all(_labelled_row(r) for r in rows):
        raise LearningError(LearningError.BAD_BASE, str(path))
    return rows


def derived_polarity(shipped: str, complaint: bool, aspects: Mapping[str, str | None]) -> str:
    """Return the shipped polarity made to agree with people's verdict (for training rows)."""
    praise = "pos" in aspects.values()
    if complaint:
        return shipped if shipped in ("negative", "mixed") else ("mixed" if praise else "negative")
    return shipped if shipped in ("positive", "neutral") else ("positive" if praise else "neutral")


def _row(c: Correction) -> dict[str, Any]:
    aspects = {a: c.aspects.get(a) for a in lexicon.ASPECTS}
    polarity = derived_polarity(api.classify(c.text).polarity, c.complaint, aspects)
    return {"text": c.text, "polarity": polarity, "complaint": c.complaint, "aspects": aspects}


@contextmanager
def _shipped() -> Iterator[None]:
    """Use the shipped lexicons and heads inside the block; restore what was in use after."""
    previous = _state.learned
    lexicon.use_overrides(None)
    heads.use(None)
    try:
        yield
    finally:
        if previous is not None:
            _use(previous)


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def learn(corrections: Sequence[Correction], *, directory: Path,
          confirmed: Sequence[Correction] = (), weight: float = CORRECTION_WEIGHT,
          base: Sequence[dict[str, Any]] | None = None, now: datetime | None = None) -> Learned:
    """Retrain the heads and derive lexicon overrides from corrections; write `directory`.

    `confirmed`: verdicts people saw and let stand (weight 1); they keep the corrections,
    which are all mistakes, from teaching that a deployment's every word is one.
    """
    usable = [c for c in corrections if c.text and c.text.strip()]
    if not usable:
        raise LearningError(LearningError.NO_CORRECTIONS)
    kept = [c for c in confirmed if c.text and c.text.strip()]
    target = check_directory(directory)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LearningError(LearningError.UNWRITABLE, str(target)) from exc
    shipped_rows = list(base) if base is not None else train.training_rows()
    with _shipped():
        rows = [_row(c) for c in usable]
        seen = [_row(c) for c in kept]
        labelled = [Labelled(r["text"], r["aspects"], False) for r in [*shipped_rows, *seen]]
        labelled += [Labelled(r["text"], r["aspects"], True) for r in rows]
        found = silenced(labelled)
        stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
        header = (f"Learned by `ownervoice classify learn` from {len(rows)} corrections, "
                  f"{stamp}.\nword<TAB>aspect<TAB>sign[<TAB>weight]; see overrides.py")
        scratch = target / f".overrides.{os.getpid()}.txt"
        try:
            overrides.write(scratch, found, header)
            lexicon.use_overrides(scratch)  # the heads learn on the features they will see
            data = train.train_heads(
                [*shipped_rows, *seen, *rows],
                weights=[1.0] * (len(shipped_rows) + len(seen)) + [weight] * len(rows))
            text = scratch.read_bytes()
        except OSError as exc:
            raise LearningError(LearningError.UNWRITABLE, str(target)) from exc
        finally:
            lexicon.use_overrides(None)
            scratch.unlink(missing_ok=True)
    blob = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    version = hashlib.sha256(blob + text).hexdigest()[:12]
    learned = Learned(
        directory=str(target), version=version, created_at=stamp, corrections=len(rows),
        overrides=len(found), features=data["features"].count("\n") + 1,
        heads_file=f"heads-{version}.json.gz", overrides_file=f"overrides-{version}.txt",
    )
    try:
        train.write_heads(data, target / f".{learned.heads_file}.tmp")
        os.replace(target / f".{learned.heads_file}.tmp", target / learned.heads_file)
        _write(target / learned.overrides_file, text)
        _write(target / MANIFEST, json.dumps(asdict(learned), indent=1).encode("utf-8"))
    except OSError as exc:
        raise LearningError(LearningError.UNWRITABLE, str(target)) from exc
    _tidy(target, learned)
    return learned


def _tidy(target: Path, keep: Learned) -> None:
    """Delete model files of versions older than the current and the one before."""
    files = sorted(target.glob("heads-*.json.gz"), key=lambda p: p.stat().st_mtime)
    for old in files[:-2]:
        if old.name != keep.heads_file:
            old.unlink(missing_ok=True)
            (target / old.name.replace("heads-", "overrides-").replace(".json.gz", ".txt")
             ).unlink(missing_ok=True)


def read_manifest(directory: Path) -> Learned | None:
    """Return what a learned directory holds (None if nothing); raise LearningError if broken."""
    path = directory / MANIFEST
    if not path.exists():
        return None
    try:
        learned = Learned(**json.loads(path.read_text(encoding="utf-8")))
        for name in (learned.heads_file, learned.overrides_file):
            if "/" in name or not (directory / name).is_file():
                raise ValueError(name)
        return learned
    except (OSError, ValueError, TypeError) as exc:
        raise LearningError(LearningError.BROKEN, str(directory)) from exc


@dataclass
class _State:
    directory: Path | None = None
    learned: Learned | None = None
    checked: float = 0.0


_state = _State()
_lock = threading.Lock()


def _use(learned: Learned | None) -> None:
    if learned is None:
        lexicon.use_overrides(None)
        heads.use(None)
        return
    directory = Path(learned.directory)
    lexicon.use_overrides(directory / learned.overrides_file)
    heads.use(directory / learned.heads_file)


def _check(directory: Path, learned: Learned) -> None:
    """Read both files once now, so a broken one is refused here, not on a comment."""
    try:
        overrides.read(directory / learned.overrides_file)
        heads.load(directory / learned.heads_file)
    except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
        raise LearningError(LearningError.BROKEN, str(directory)) from exc


def activate(directory: Path | None) -> Learned | None:
    """Classify with the model learned into `directory` from now on (None: the shipped one)."""
    with _lock:
        learned = None
        if directory is not None:
            directory = _resolved(directory, LearningError.BROKEN)
            found = read_manifest(directory)
            if found is not None:
                # The manifest may come from another path to the same directory.
                learned = Learned(**{**asdict(found), "directory": str(directory)})
                _check(directory, learned)
        _use(learned)
        _state.directory, _state.learned, _state.checked = directory, learned, time.monotonic()
        return learned


def active() -> Learned | None:
    """Return the learned model in use (None: the shipped one)."""
    return _state.learned


def refresh(*, force: bool = False) -> Learned | None:
    """Switch to a newer model in the active directory (checked at most once a minute)."""
    directory = _state.directory
    if directory is None or (not force and
                             time.monotonic() - _state.checked < REFRESH_SECONDS):
        return _state.learned
    _state.checked = time.monotonic()
    try:
        found = read_manifest(directory)
        if found is not None and (_state.learned is None
                                  or found.version != _state.learned.version):
            return activate(directory)
    except LearningError:
        pass  # a half-copied or broken directory: keep the model in use
    return _state.learned
