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


class Design:
    """Sparse documents x vocabulary, laid out for the forward and the backward pass."""

    def __init__(self, docs: Sequence[dict[str, float]], vocab: Sequence[str]) -> None:
        index = {f: i for i, f in enumerate(vocab)}
        self.indptr, self.indices, data = _csr(docs, index)
        row_of = np.repeat(np.arange(len(docs)), np.diff(self.indptr))
        # The gradient sums entries per feature: sorted by feature once, one reduceat per
        # step (every vocabulary feature occurs in some document, so no segment is empty).
        order = np.argsort(self.indices, kind="stable")
        self.row_sorted = row_of[order]
        self.starts = np.searchsorted(self.indices[order], np.arange(len(vocab)))
        # Most values are 1.0: sums run over plain gathered rows, and the few real-valued
        # features (v:lex, v:nb) add their (value - 1) share afterwards.
        real = data != 1.0
        self.r_idx, self.r_row = self.indices[real], row_of[real]
        self.r_extra = (data[real] - 1.0)[:, None]
        self._gathered: np.ndarray | None = None

    def _buffer(self, width: int) -> np.ndarray:
        if self._gathered is None or self._gathered.shape[1] != width:
            self._gathered = np.empty((len(self.indices), width))
        return self._gathered

    def scores(self, w: np.ndarray) -> np.ndarray:
        """Return documents x columns: each document's sum of its features' rows."""
        # Every document has a feature (the bias), so no row is empty for reduceat.
        gathered = self._buffer(w.shape[1])
        np.take(w, self.indices, axis=0, out=gathered)
        z = np.add.reduceat(gathered, self.indptr[:-1], axis=0)
        np.add.at(z, self.r_row, w[self.r_idx] * self.r_extra)
        return z

    def gradient(self, grad_rows: np.ndarray) -> np.ndarray:
        """Return vocabulary x columns: the per-document gradients summed per feature."""
        gathered = self._buffer(grad_rows.shape[1])
        np.take(grad_rows, self.row_sorted, axis=0, out=gathered)
        grad = np.add.reduceat(gathered, self.starts, axis=0)
        np.add.at(grad, self.r_idx, grad_rows[self.r_row] * self.r_extra)
        return grad


class Adam:
    """Adam's moment estimates for one parameter matrix."""

    def __init__(self, shape: tuple[int, ...], rate: float) -> None:
        self.m1, self.m2, self.rate = np.zeros(shape), np.zeros(shape), rate

    def step(self, param: np.ndarray, grad: np.ndarray, step: int) -> None:
        """Move `param` one step against `grad` (in place)."""
        self.m1 *= 0.9
        self.m1 += 0.1 * grad
        self.m2 *= 0.999
        self.m2 += 0.001 * grad * grad
        param -= self.rate * (self.m1 / (1 - 0.9**step)) / (
            np.sqrt(self.m2 / (1 - 0.999**step)) + 1e-8
        )


def targets(
    labels: Mapping[str, Sequence[int]], sizes: Mapping[str, int], sample: np.ndarray,
    balance: float,
) -> list[tuple[int, int, np.ndarray, np.ndarray]]:
    """Return (first column, classes, one-hot labels, row weights) per head."""
    n = len(sample)
    out, start = [], 0
    for head, k in sizes.items():
        y = np.asarray(labels[head])
        counts = np.bincount(y, minlength=k).astype(np.float64)
        cw = (n / (k * np.maximum(counts, 1))) ** balance
        onehot = np.zeros((n, k))
        onehot[np.arange(n), y] = 1.0
        out.append((start, k, onehot, cw[y] * sample))
        start += k
    return out


def softmax_gradient(
    z: np.ndarray, heads: list[tuple[int, int, np.ndarray, np.ndarray]], out: np.ndarray
) -> None:
    """Write each head's weighted softmax cross-entropy gradient of scores `z` into `out`."""
    for s, k, onehot, scale in heads:
        part = z[:, s : s + k]
        part = np.exp(part - part.max(axis=1, keepdims=True))
        part /= part.sum(axis=1, keepdims=True)
        out[:, s : s + k] = (part - onehot) * (scale / scale.sum())[:, None]


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
    design = Design(docs, vocab)
    n, width = len(docs), sum(sizes.values())
    sample = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    heads = targets(labels, sizes, sample, balance)
    # float64: in float32, Adam's normalised steps turn rounding noise into different models
    # from run to run (feature order follows the hash seed).
    w = np.zeros((len(vocab), width))
    adam = Adam(w.shape, rate)
    decay = np.array([[l2 * _group_factor(f, group_l2)] for f in vocab])
    decay[vocab.index("bias")] = 0.0
    grad_rows = np.zeros((n, width))
    for step in range(1, epochs + 1):
        softmax_gradient(design.scores(w), heads, grad_rows)
        grad = design.gradient(grad_rows)
        grad += w * decay
        adam.step(w, grad, step)
    return vocab, w
