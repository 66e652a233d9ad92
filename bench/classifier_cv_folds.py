"""Folds, fits and predictions of the classifier's cross-validation (bench/classifier_cv.py).

Every comment is prepared once (features, the rules' tags); each fold fits the heads on
feature dicts as `train.py` does (composed rows included), keeps the weight rows `train.py`
would keep (PRUNE, int16 quantisation), and predicts held-out rows with the same combination
as `api.classify` (`scoring.classifier.combine`).
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scoring.classifier import api, combine, lexicon, rulebased, train
from scoring.classifier.labels import final_labels
from scoring.classifier.lexicon import ASPECTS


@dataclass(frozen=True)
class Prepared:
    """One comment as the heads and the combination see it."""

    feats: dict[str, float]
    rules: dict[str, str | None]
    conceded: bool
    unrated: frozenset[str]
    empty: bool
    firm: frozenset[str] = frozenset()


@dataclass
class Config:
    """How one model is trained (defaults: what train.py ships)."""

    name: str
    options: dict[str, Any] = field(default_factory=dict)  # passed to train.fit_docs
    prune: float = train.PRUNE
    composed: int = train.COMPOSED
    composed_weight: float = train.COMPOSED_WEIGHT
    writer_weight: float = 1.0
    # Which labels the fit rows carry (held-out rows are always scored on the final ones):
    # "final" as train.training_rows() gives them; "first-reader" as shipped before the second
    # reader and adjudication (the first reader's for writer rows, the authors' for the train
    # split).
    labels: str = "final"
    # Feature prefixes left out of the fit (to score a feature group against its absence
    # with the same prepared comments: "t:" and "u:" are features.target_features').
    drop: tuple[str, ...] = ()


_cache: dict[str, Prepared] = {}
# Features a CV run adds to every comment's shipped ones (bench/classifier_targets.py), to score
# a feature group that api.comment_features does not build; None: the shipped features only.
EXTRA: list[Callable[[list[str]], set[str]] | None] = [None]


def prepare(text: str) -> Prepared:
    """Return the comment's features and the rules' verdict (computed once per text)."""
    found = _cache.get(text)
    if found is None:
        normalized, tokens = api.prepare(text)
        if not tokens:
            found = Prepared({"bias": 1.0}, dict.fromkeys(ASPECTS), False, frozenset(), True)
        else:
            v = rulebased.decide(tokens, lexicon.load())
            feats = api.comment_features(normalized, tokens, v)
            if EXTRA[0] is not None:
                feats.update(dict.fromkeys(EXTRA[0](tokens), 1.0))
            found = Prepared(
                feats,
                dict(v.aspects),
                bool(v.flags.get("conceded")),
                v.unrated,
                False,
                v.firm,
            )
        _cache[text] = found
    return found


def label_sets() -> dict[str, dict[int, dict[str, Any]]]:
    """Return each labelling the folds can fit on, by row id (scoring/data/LABELING.md)."""
    first = [r for r in train.project_split("relabels") if r["labeller"].startswith("l")]
    return {"final": train.read_final_labels(), "first-reader": final_labels(first, [])}


def folds(
    seed: int = 7, k: int = 4, writers_only: bool = False, paired: bool = False,
    halves: bool = False, first: int = 0, fit_labels: str = "final",
) -> Iterator[tuple[str, list[dict], list[dict]]]:
    """Yield (held-out name, fit rows, held-out rows): writers held out whole, then the train split.

    A writer's rows are held out together, the heads trained on the train split and the other
    writers: that predicts a writer nobody has seen (the blind set) far better than random
    folds, where a writer's other rows teach their style. `paired` holds out two writers a
    fold (w1 with w6, …: half the fits); `halves` holds out the odd-numbered writers, then
    the even-numbered ones (two fits); `first` keeps only writers w1 … w`first` (to compare
    with a run made before later writers came). The train split's own rows are held out in `k`
    folds, the heads trained on the rest of the split and every writer.
    """
    sets = label_sets()
    gold, fitted = sets["final"], sets[fit_labels]
    raw_own = train.project_split("train")
    raw_writers = train.project_split("writers")
    if first:
        raw_writers = [r for r in raw_writers if int(r["source"][1:]) <= first]
    own, writers = train.relabel(raw_own, gold), train.relabel(raw_writers, gold)
    fit_own, fit_writers = train.relabel(raw_own, fitted), train.relabel(raw_writers, fitted)
    sources = sorted({r["source"] for r in writers}, key=lambda s: int(s[1:]))
    half = len(sources) // 2
    groups = ([[a, b] for a, b in zip(sources[:half], sources[half:], strict=False)]
              if paired and half else [[s] for s in sources])
    if paired and len(sources) % 2:
        groups[-1].append(sources[-1])
    if halves:
        groups = [sources[0::2], sources[1::2]]
    for group in groups:
        held = [r for r in writers if r["source"] in group]
        rest = [r for r in fit_writers if r["source"] not in group]
        yield "+".join(group), fit_own + rest, held
    if writers_only:
        return
    order = random.Random(seed).sample(range(len(own)), len(own))
    fold_of = {i: n % k for n, i in enumerate(order)}
    for j in range(k):
        held = [r for i, r in enumerate(own) if fold_of[i] == j]
        rest_own = [r for i, r in enumerate(fit_own) if fold_of[i] != j]
        yield f"train split {j + 1}/{k}", rest_own + fit_writers, held


def fit(rows: list[dict], config: Config) -> tuple[list[str], np.ndarray]:
    """Fit heads on `rows` as train.py does; return the vocabulary and the weight matrix."""
    extra = train.compose(rows, config.composed) if config.composed else []
    weights = [config.writer_weight if "source" in r else 1.0 for r in rows]
    weights += [config.composed_weight] * len(extra)
    docs = [prepare(r["text"]).feats for r in rows + extra]
    if config.drop:
        docs = [{f: v for f, v in d.items() if not f.startswith(config.drop)} for d in docs]
    vocab, matrix = train.fit_docs(docs, rows + extra, weights, **config.options)
    return vocab, np.asarray(matrix, dtype=np.float64)


def kept(vocab: list[str], matrix: np.ndarray, prune: float) -> tuple[dict[str, int], np.ndarray]:
    """Return the weight rows train.py keeps at `prune`, as the file stores them (int16)."""
    keep = np.abs(matrix).max(axis=1) >= prune
    quantised = np.clip(np.round(matrix[keep] / train.SCALE), -32767, 32767) * train.SCALE
    names = [f for f, k in zip(vocab, keep, strict=True) if k]
    return {f: i for i, f in enumerate(names)}, quantised


def probabilities(rows: list[dict], index: dict[str, int], w: np.ndarray) -> np.ndarray:
    """Return each row's softmax per head, concatenated in train.heads_spec() order."""
    out = np.zeros((len(rows), w.shape[1]))
    for n, row in enumerate(rows):
        feats = prepare(row["text"]).feats
        hit = [(index[f], v) for f, v in feats.items() if f in index]
        raw = sum((w[i] * v for i, v in hit), np.zeros(w.shape[1]))
        out[n] = head_softmax(raw)
    return out


def head_softmax(raw: np.ndarray) -> np.ndarray:
    """Return one comment's raw scores as a softmax per head, in train.heads_spec() order."""
    out = np.empty_like(raw)
    start = 0
    for labels in train.heads_spec().values():
        part = raw[start : start + len(labels)]
        e = np.exp(part - part.max())
        out[start : start + len(labels)] = e / e.sum()
        start += len(labels)
    return out


def predict(rows: list[dict], probs: np.ndarray, t: combine.Thresholds) -> list[dict]:
    """Return predictions shaped like gold rows, combined as api.classify does."""
    spec = train.heads_spec()
    preds = []
    for row, p in zip(rows, probs, strict=True):
        prep = prepare(row["text"])
        if prep.empty:
            preds.append({"polarity": "neutral", "complaint": False,
                          "aspects": dict.fromkeys(ASPECTS)})
            continue
        dists, start = {}, 0
        for head, labels in spec.items():
            dists[head] = dict(zip(labels, p[start : start + len(labels)].tolist(), strict=True))
            start += len(labels)
        polarity = combine.polarity(dists["polarity"], prep.conceded, t)
        aspects = {a: combine.aspect(a, dists[a], prep.rules[a], t, unrated=a in prep.unrated,
                                     firm=a in prep.firm)
                   for a in ASPECTS}
        preds.append({"polarity": polarity, "complaint": polarity in ("negative", "mixed"),
                      "aspects": aspects})
    return preds


Folds = dict[str, tuple[list[dict], np.ndarray, int]]


def held_out(
    config: Config, prunes: tuple[float, ...] = (), writers_only: bool = False,
    paired: bool = False, halves: bool = False, first: int = 0,
) -> dict[float, Folds]:
    """Fit every fold; return {pruning level: {held-out name: (gold, probabilities, size)}}."""
    result: dict[float, Folds] = {level: {} for level in (config.prune, *prunes)}
    for name, fit_rows, held in folds(writers_only=writers_only, paired=paired, halves=halves,
                                      first=first, fit_labels=config.labels):
        started = time.time()
        vocab, matrix = fit(fit_rows, config)
        for level, out in result.items():
            index, w = kept(vocab, matrix, level)
            out[name] = (held, probabilities(held, index, w), len(index))
        print(f"{time.strftime('%H:%M:%S')} {config.name}: {name} "
              f"({len(fit_rows)} fit, {len(held)} held out, "
              f"{math.ceil(time.time() - started)} s)", file=sys.stderr, flush=True)
    return result
