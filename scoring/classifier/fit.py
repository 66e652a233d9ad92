"""Multinomial logistic regression with L2 on sparse features, fitted with full-batch Adam.

Train-time only (numpy; never imported when classifying). Several heads share one weight
row per feature; each head is its own softmax, trained jointly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

ALWAYS = ("bias", "v:", "r:", "len:")


def vocabulary(docs: Sequence[dict[str, float]], min_df: int) -> list[str]:
    """Return the features seen in at least `min_df` documents (rule and bias features always)."""
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc)
    return sorted(f for f, n in df.items() if n >= min_df or f.startswith(ALWAYS))


def _group_factor(feature: str, group_l2: Mapping[str, float] | None) -> float:
    if not group_l2:
        return 1.0
    return next((v for k, v in group_l2.items() if feature.startswith(k)), 1.0)


def _csr(docs: Sequence[dict[str, float]], index: dict[str, int]) -> tuple[np.ndarray, ...]:
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for doc in docs:
        for name, value in doc.items():
            j = index.get(name)
            if j is not None:
                indices.append(j)
                data.append(value)
        indptr.append(len(indices))
    return np.array(indptr), np.array(indices), np.array(data, dtype=np.float64)


def fit(
    docs: Sequence[dict[str, float]],
    labels: Mapping[str, Sequence[int]],
    sizes: Mapping[str, int],
    *,
    weights: Sequence[float] | None = None,
    l2: float = 1e-3,
    epochs: int = 300,
    rate: float = 0.05,
    min_df: int = 2,
    balance: float = 0.5,
    group_l2: Mapping[str, float] | None = None,
) -> tuple[list[str], np.ndarray]:
    """Fit every head; return the vocabulary and the weight matrix (features x classes).

    balance: class weights (n / (K n_c)) ** balance per head, so rare classes (mixed) count.
    group_l2: L2 multipliers by feature-name prefix ("c:" character grams, "w:" words, …).
    """
    vocab = vocabulary(docs, min_df)
    index = {f: i for i, f in enumerate(vocab)}
    indptr, indices, data = _csr(docs, index)
    n, width = len(docs), sum(sizes.values())
    row_of = np.repeat(np.arange(n), np.diff(indptr))
    # The gradient sums entries per feature: sorted by feature once, one reduceat per step
    # (every vocabulary feature occurs in some document, so no segment is empty).
    order = np.argsort(indices, kind="stable")
    row_sorted = row_of[order]
    starts = np.searchsorted(indices[order], np.arange(len(vocab)))
    # Most values are 1.0: sums run over plain gathered rows, and the few real-valued
    # features (v:lex, v:nb) add their (value - 1) share afterwards.
    real = data != 1.0
    r_idx, r_row, r_extra = indices[real], row_of[real], (data[real] - 1.0)[:, None]
    sample = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    targets, scales, start = [], [], 0
    for head, k in sizes.items():
        y = np.asarray(labels[head])
        counts = np.bincount(y, minlength=k).astype(np.float64)
        cw = (n / (k * np.maximum(counts, 1))) ** balance
        onehot = np.zeros((n, k))
        onehot[np.arange(n), y] = 1.0
        targets.append((start, k, onehot))
        scales.append(cw[y] * sample)
        start += k
    # float64: in float32, Adam's normalised steps turn rounding noise into different models
    # from run to run (feature order follows the hash seed).
    w = np.zeros((len(vocab), width))
    m1, m2 = np.zeros_like(w), np.zeros_like(w)
    decay = np.array([[l2 * _group_factor(f, group_l2)] for f in vocab])
    decay[index["bias"]] = 0.0
    gathered = np.empty((len(indices), width))
    grad_rows = np.zeros((n, width))
    for step in range(1, epochs + 1):
        # Every document has the bias feature, so no row is empty for reduceat.
        np.take(w, indices, axis=0, out=gathered)
        z = np.add.reduceat(gathered, indptr[:-1], axis=0)
        np.add.at(z, r_row, w[r_idx] * r_extra)
        for (s, k, onehot), scale in zip(targets, scales, strict=True):
            part = z[:, s : s + k]
            part = np.exp(part - part.max(axis=1, keepdims=True))
            part /= part.sum(axis=1, keepdims=True)
            grad_rows[:, s : s + k] = (part - onehot) * (scale / scale.sum())[:, None]
        np.take(grad_rows, row_sorted, axis=0, out=gathered)
        grad = np.add.reduceat(gathered, starts, axis=0)
        np.add.at(grad, r_idx, grad_rows[r_row] * r_extra)
        grad += w * decay
        m1 *= 0.9
        m1 += 0.1 * grad
        m2 *= 0.999
        m2 += 0.001 * grad * grad
        w -= rate * (m1 / (1 - 0.9**step)) / (np.sqrt(m2 / (1 - 0.999**step)) + 1e-8)
    return vocab, w
