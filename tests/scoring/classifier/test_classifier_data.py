"""The project's labeled in-domain comments and the figures they must keep reaching."""

from __future__ import annotations

import json
from pathlib import Path

from scoring.classifier import classify, labels, train

DATA = Path(__file__).resolve().parents[3] / "scoring" / "data"
POLARITIES = {"positive", "negative", "neutral", "mixed"}


def _rows(split: str) -> list[dict]:
    lines = (DATA / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line]


def test_labeled_set_is_large_split_and_well_formed() -> None:
    train, test = _rows("train"), _rows("test")
    assert len(train) + len(test) >= 600
    assert {r["text"] for r in train}.isdisjoint({r["text"] for r in test})
    for row in train + test:
        assert row["polarity"] in POLARITIES
        assert set(row["aspects"]) == {"attitude", "clarity", "timeliness", "resolution"}
        assert set(row["aspects"].values()) <= {"pos", "neg", None}
        # The complaint rule of LABELING.md.
        assert row["complaint"] is (row["polarity"] in {"negative", "mixed"})


def test_writer_rows_are_training_only_and_well_formed() -> None:
    # Rows written by outside writer sessions (LABELING.md "Rows from outside writers"):
    # same schema, a source, never a text of the train or test split.
    writers, train, test = _rows("writers"), _rows("train"), _rows("test")
    assert writers
    texts = [r["text"] for r in writers]
    assert len(set(texts)) == len(texts)
    assert set(texts).isdisjoint({r["text"] for r in train + test})
    assert {r["id"] for r in writers}.isdisjoint({r["id"] for r in train + test})
    for row in writers:
        assert row["source"].startswith("w")
        assert row["polarity"] in POLARITIES
        assert set(row["aspects"]) == {"attitude", "clarity", "timeliness", "resolution"}
        assert set(row["aspects"].values()) <= {"pos", "neg", None}
        assert row["complaint"] is (row["polarity"] in {"negative", "mixed"})


def _f1(pairs: list[tuple[object, object]], label: object) -> float:
    tp = sum(g == label and p == label for g, p in pairs)
    fp = sum(g != label and p == label for g, p in pairs)
    fn = sum(g == label and p != label for g, p in pairs)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


FIRST_ROUND_LAST_ID = train.FIRST_ROUND_LAST_ID  # rows up to here: written with the first rules


def _figures(rows: list[dict]) -> tuple[float, float, float, float]:
    results = [classify(r["text"]) for r in rows]
    pairs = list(zip(results, rows, strict=True))
    polarity4 = sum(c.polarity == r["polarity"] for c, r in pairs) / len(rows)
    polarity3 = sum(
        labels.three_way(c.polarity) == labels.three_way(r["polarity"]) for c, r in pairs
    ) / len(rows)
    complaint = _f1([(r["complaint"], c.complaint) for c, r in pairs], True)
    aspect_f1 = []
    for aspect in ("attitude", "clarity", "timeliness", "resolution"):
        tags = [(r["aspects"][aspect], c.aspects[aspect]) for c, r in pairs]
        aspect_f1.append((_f1(tags, "pos") + _f1(tags, "neg")) / 2)
    return polarity4, polarity3, complaint, sum(aspect_f1) / len(aspect_f1)


def test_first_round_test_rows_stay_above_their_targets() -> None:
    # The same definitions as bench/classifier.py, on the readers' final labels (LABELING.md):
    # a lexicon, rule or model change that drops a target fails here, not only in the next
    # benchmark run. The shipped model reaches 0.975 / 0.978 / 0.895 on these rows.
    rows = [r for r in train.labelled_split("test") if r["id"] <= FIRST_ROUND_LAST_ID]
    polarity4, _, complaint, aspects = _figures(rows)
    assert polarity4 >= 0.90
    assert complaint >= 0.90
    assert aspects >= 0.87


def test_whole_test_split_stays_above_its_floor() -> None:
    # Regression floors a little under the shipped model's 0.936 / 0.951 / 0.896 (sixth
    # session); the targets themselves are measured on the blind set by bench/classifier.py.
    _, polarity3, complaint, aspects = _figures(train.labelled_split("test"))
    assert polarity3 >= 0.91
    assert complaint >= 0.93
    assert aspects >= 0.87


def test_readers_final_labels_replace_the_authors_in_training() -> None:
    authored = {r["id"]: r for r in _rows("writers") + _rows("train") + _rows("test")}
    readings = _rows("relabels")
    assert readings
    for row in readings:
        assert row["id"] in authored and labels.label_problem(row) is None
    finals = labels.final_labels(readings, _rows("adjudications"))
    differs = next(i for i, f in finals.items() if f["aspects"] != authored[i]["aspects"])
    trained = {r["id"]: r for r in train.training_rows()}
    assert trained[differs]["aspects"] == finals[differs]["aspects"]
    assert trained[differs]["text"] == authored[differs]["text"]
    assert train.relabelled(authored[differs], None) == authored[differs]


def test_adjudicators_settle_only_comments_whose_readers_differ() -> None:
    readers: dict[int, list[dict]] = {}
    for row in _rows("relabels"):
        readers.setdefault(row["id"], []).append(row)
    for decision in _rows("adjudications"):
        first, second = readers[decision["id"]][:2]
        assert (first["polarity"], first["aspects"]) != (second["polarity"], second["aspects"])
        assert labels.label_problem(decision) is None
