"""The label schema and how several readers' labels of one comment become its final label."""

from __future__ import annotations

from typing import Any

from scoring.classifier import labels

NONE = {"attitude": None, "clarity": None, "timeliness": None, "resolution": None}


def _reading(row_id: int, polarity: str, who: str = "l1", **aspects: str) -> dict[str, Any]:
    return {"labeller": who, "id": row_id, "polarity": polarity,
            "complaint": polarity in {"negative", "mixed"}, "aspects": {**NONE, **aspects}}


def test_readers_who_agree_give_the_final_label() -> None:
    a = _reading(1, "negative", timeliness="neg")
    finals = labels.final_labels([a, _reading(1, "negative", "m1", timeliness="neg")], [])
    assert finals[1] == {"polarity": "negative", "complaint": True,
                         "aspects": {**NONE, "timeliness": "neg"}}


def test_disputed_comment_takes_the_adjudicators_label() -> None:
    readings = [_reading(2, "negative", timeliness="neg"), _reading(2, "mixed", "m1")]
    decided = {**_reading(2, "mixed", attitude="pos", timeliness="neg"), "adjudicator": "a1"}
    finals = labels.final_labels(readings, [decided])
    assert finals[2]["polarity"] == "mixed"
    assert finals[2]["aspects"] == {**NONE, "attitude": "pos", "timeliness": "neg"}


def test_disputed_comment_not_yet_adjudicated_keeps_the_first_reader() -> None:
    readings = [_reading(3, "neutral"), _reading(3, "negative", "m1", resolution="neg")]
    assert labels.final_labels(readings, [])[3]["polarity"] == "neutral"


def test_adjudication_of_a_comment_the_readers_agree_on_is_ignored() -> None:
    readings = [_reading(4, "positive"), _reading(4, "positive", "m1")]
    stray = _reading(4, "negative", "a1")
    assert labels.final_labels(readings, [stray])[4]["polarity"] == "positive"


def test_comment_read_once_keeps_its_reading() -> None:
    assert labels.final_labels([_reading(5, "negative", clarity="neg")], [])[5]["aspects"] == {
        **NONE, "clarity": "neg"}


def test_label_problem_names_what_breaks_the_schema() -> None:
    assert labels.label_problem(_reading(6, "mixed", attitude="pos")) is None
    assert labels.label_problem({**_reading(6, "mixed"), "complaint": False}) == "complaint"
    assert labels.label_problem({**_reading(6, "angry")}) == "polarity"
    assert labels.label_problem({**_reading(6, "neutral"), "aspects": {"attitude": "pos"}}) == (
        "aspects")
    assert labels.label_problem({**_reading(6, "neutral"), "aspects": {**NONE, "clarity": 1}}) == (
        "aspects")
    assert labels.label_problem(["not", "a", "row"]) == "fields"


def test_mixed_folds_into_negative_for_three_class_polarity() -> None:
    assert [labels.three_way(p) for p in labels.POLARITIES] == [
        "positive", "negative", "neutral", "negative"]
