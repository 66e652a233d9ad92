"""Experiment: clause-level aspect heads (max over clauses) beside the comment-level heads.

Usage: python bench/classifier_mil.py [--mode full|rules] --save OUT.pkl

Each aspect's pos/neg logit is the comment-level head's plus the largest score any one
clause gives that class (multiple-instance learning: comment labels, clause evidence), so
evidence in different clauses of a long story is not summed. `--mode rules` keeps only the
rules' and length features in the comment-level aspect logits. Writes folds in the shape of
bench/classifier_cv.py --save (score them with --load).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from classifier_cv_folds import folds, head_softmax, prepare  # noqa: E402

from scoring.classifier import api, fit, lexicon, rules, train  # noqa: E402
from scoring.classifier.features import NEGATORS, char_grams  # noqa: E402
from scoring.classifier.lexicon import ASPECTS  # noqa: E402

_clause_cache: dict[str, list[dict[str, float]]] = {}


def clause_docs(text: str) -> list[dict[str, float]]:
    """Return one feature dict per clause of the comment (at least one)."""
    found = _clause_cache.get(text)
    if found is not None:
        return found
    _, tokens = api.prepare(text)
    out: list[dict[str, float]] = []
    if tokens:
        lex = lexicon.load()
        clauses = rules.split_clauses(tokens)
        analysis = rules.analyze(tokens, lex)
        hits: dict[int, set[str]] = {}
        for h in analysis.hits:
            if h.weight == 0:
                continue
            sign = "pos" if h.weight > 0 else "neg"
            name = f"r:{h.aspect}={sign}" if h.aspect else f"r:pol={sign}"
            hits.setdefault(h.clause, set()).add(name)
        last = len(clauses) - 1
        for k, (toks, question) in enumerate(clauses):
            feats: dict[str, float] = {"bias": 1.0}
            prev = ""
            for tok in toks:
                feats[("!" if prev in NEGATORS else "w:") + tok] = 1.0
                if prev:
                    feats[f"b:{prev}_{tok}"] = 1.0
                prev = tok
            feats.update(dict.fromkeys(char_grams("".join(toks)), 1.0))
            for name in hits.get(k, ()):
                feats[name] = 1.0
            if question:
                feats["pos:q"] = 1.0
            if k == last and k:
                feats["pos:last"] = 1.0
            if not lex.but.isdisjoint(toks[:3]):
                feats["pos:but"] = 1.0
            if not lex.concede.isdisjoint(toks):
                feats["pos:concede"] = 1.0
            out.append(feats)
    if not out:
        out = [{"bias": 1.0}]
    _clause_cache[text] = out
    return out


RULE_PREFIXES = ("bias", "v:", "r:", "len:")


def fit_mil(
    docs: list[dict[str, float]], cdocs: list[list[dict[str, float]]], labels: dict,
    sizes: dict[str, int], weights: list[float], mode: str,
    l2: float = train.L2, epochs: int = train.EPOCHS, rate: float = 0.05,
    min_df: int = 2, balance: float = train.BALANCE,
) -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    """Fit comment-level heads and clause-level aspect heads jointly (full-batch Adam)."""
    n, width = len(docs), sum(sizes.values())
    cols = aspect_columns(sizes)
    vocab = fit.vocabulary(docs, min_df)
    design = fit.Design(docs, vocab)
    flat = [c for cs in cdocs for c in cs]
    group = np.repeat(np.arange(n), [len(cs) for cs in cdocs])
    gstarts = np.concatenate([[0], np.cumsum([len(cs) for cs in cdocs])[:-1]])
    cvocab = fit.vocabulary(flat, min_df)
    cdesign = fit.Design(flat, cvocab)
    heads = fit.targets(labels, sizes, np.asarray(weights, dtype=np.float64), balance)
    # In "rules" mode the comment-level aspect columns learn only from rule/length features.
    mask = np.ones((len(vocab), width))
    if mode == "rules":
        for i, f in enumerate(vocab):
            if not f.startswith(RULE_PREFIXES):
                mask[i, sizes["polarity"]:] = 0.0
    w, u = np.zeros((len(vocab), width)), np.zeros((len(cvocab), len(cols)))
    adam_w, adam_u = fit.Adam(w.shape, rate), fit.Adam(u.shape, rate)
    decay = np.full((len(vocab), 1), l2)
    decay[vocab.index("bias")] = 0.0
    grad_rows = np.zeros((n, width))
    for step in range(1, epochs + 1):
        z = design.scores(w)
        s = cdesign.scores(u)
        smax = np.maximum.reduceat(s, gstarts, axis=0)
        z[:, cols] += smax
        fit.softmax_gradient(z, heads, grad_rows)
        # A clause's gradient goes to the clause holding the max (ties share it).
        cgrad = np.where(s == smax[group], grad_rows[:, cols][group], 0.0)
        gw = (design.gradient(grad_rows) + w * decay) * mask
        adam_w.step(w, gw, step)
        adam_u.step(u, cdesign.gradient(cgrad) + u * l2, step)
    return vocab, w, cvocab, u


def aspect_columns(sizes: dict[str, int]) -> np.ndarray:
    """Return the columns of every aspect head's pos and neg classes."""
    cols, start = [], 0
    for head, k in sizes.items():
        if head in ASPECTS:
            cols += [start + 1, start + 2]
        start += k
    return np.array(cols)


def probabilities(rows: list[dict], vocab: list[str], w: np.ndarray, cvocab: list[str],
                  u: np.ndarray) -> np.ndarray:
    """Return each row's softmax per head, in train.heads_spec() order."""
    sizes = {h: len(c) for h, c in train.heads_spec().items()}
    cols = aspect_columns(sizes)
    index = {f: i for i, f in enumerate(vocab)}
    cindex = {f: i for i, f in enumerate(cvocab)}
    out = np.zeros((len(rows), w.shape[1]))
    for n, row in enumerate(rows):
        feats = prepare(row["text"]).feats
        raw = np.zeros(w.shape[1])
        for f, v in feats.items():
            i = index.get(f)
            if i is not None:
                raw += w[i] * v
        best = np.full(u.shape[1], -np.inf)
        for c in clause_docs(row["text"]):
            s = np.zeros(u.shape[1])
            for f in c:
                i = cindex.get(f)
                if i is not None:
                    s += u[i]
            best = np.maximum(best, s)
        raw[cols] += best
        out[n] = head_softmax(raw)
    return out


def main(argv: list[str] | None = None) -> int:
    """Fit the halves folds with clause heads; save them for classifier_cv.py --load."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", default="full", choices=("full", "rules"))
    parser.add_argument("--save", type=Path, required=True)
    args = parser.parse_args(argv)
    sizes = {h: len(c) for h, c in train.heads_spec().items()}
    parts = {}
    for name, fit_rows, held in folds(writers_only=True, halves=True):
        started = time.time()
        extra = train.compose(fit_rows, train.COMPOSED)
        weights = [1.0] * len(fit_rows) + [train.COMPOSED_WEIGHT] * len(extra)
        rows = fit_rows + extra
        docs = [prepare(r["text"]).feats for r in rows]
        cdocs = [clause_docs(r["text"]) for r in rows]
        vocab, w, cvocab, u = fit_mil(docs, cdocs, train.head_labels(rows), sizes, weights,
                                      args.mode)
        parts[name] = (held, probabilities(held, vocab, w, cvocab, u), len(vocab) + len(cvocab))
        print(f"{time.strftime('%H:%M:%S')} mil-{args.mode}: {name} "
              f"({len(rows)} fit, {len(held)} held out, {time.time() - started:.0f} s)",
              file=sys.stderr, flush=True)
    args.save.write_bytes(pickle.dumps({f"mil-{args.mode}": parts}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
