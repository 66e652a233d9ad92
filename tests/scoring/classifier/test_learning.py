"""Learning from corrections: a learned directory the classifier switches to, and back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring.classifier import classify, learning, overrides
from scoring.classifier.learning import Correction, LearningError
from tests.fixtures.learning_base import base_rows

# The courier's delay is nobody's service speed: this deployment's people keep removing the
# timeliness tag that 延误 gives.
COURIER = ("快递延误了，保安态度很差", "快递延误了两天，门卫还爱答不理")
NEW = "快递又延误了，前台态度很差"
ONLY_ATTITUDE = {"attitude": "neg", "clarity": None, "timeliness": None, "resolution": None}


@pytest.fixture(autouse=True)
def shipped_after() -> Iterator[None]:
    yield
    learning.activate(None)


@pytest.fixture(scope="module")
def base() -> list[dict]:
    return base_rows()  # a fixed small base keeps each training run to seconds


@pytest.fixture(scope="module")
def learned_dir(tmp_path_factory: pytest.TempPathFactory, base: list[dict]) -> Path:
    directory = tmp_path_factory.mktemp("learned")
    learning.learn([Correction(t, ONLY_ATTITUDE, True) for t in COURIER], directory=directory,
                   base=base)
    learning.activate(None)
    return directory


def test_corrections_silence_a_cue_people_keep_removing(learned_dir: Path) -> None:
    assert classify(NEW).aspects["timeliness"] == "neg"  # the shipped model
    found = learning.activate(learned_dir)
    assert found is not None and found.corrections == 2 and found.overrides == 1
    assert overrides.read(learned_dir / found.overrides_file) == [
        overrides.Override("延误", "timeliness", "0")]
    assert classify(NEW).aspects == ONLY_ATTITUDE
    learning.activate(None)
    assert classify(NEW).aspects["timeliness"] == "neg"


def test_a_single_correction_changes_no_lexicon(tmp_path: Path, base: list[dict]) -> None:
    done = learning.learn([Correction(COURIER[0], ONLY_ATTITUDE, True)], directory=tmp_path,
                          base=base)
    assert done.overrides == 0


def test_nothing_to_learn_and_the_package_are_refused(tmp_path: Path) -> None:
    with pytest.raises(LearningError) as empty:
        learning.learn([Correction("  ", ONLY_ATTITUDE, True)], directory=tmp_path)
    assert empty.value.code == LearningError.NO_CORRECTIONS
    inside = Path(learning.__file__).parent / "learned"
    with pytest.raises(LearningError) as package:
        learning.learn([Correction(NEW, ONLY_ATTITUDE, True)], directory=inside)
    assert package.value.code == LearningError.IN_PACKAGE and not inside.exists()


def test_an_empty_directory_means_the_shipped_model(tmp_path: Path) -> None:
    assert learning.activate(tmp_path / "nothing-yet") is None
    assert learning.active() is None and classify(NEW).aspects["timeliness"] == "neg"


def test_a_broken_directory_is_refused_and_the_model_in_use_stays(
        learned_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(LearningError) as caught:
        learning.activate(broken)
    assert caught.value.code == LearningError.BROKEN
    manifest = json.loads((learned_dir / "manifest.json").read_text(encoding="utf-8"))
    half = tmp_path / "half"
    half.mkdir()
    (half / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")  # no files
    with pytest.raises(LearningError):
        learning.activate(half)
    learning.activate(learned_dir)
    (learned_dir / "manifest.json").write_text("{", encoding="utf-8")
    try:
        assert learning.refresh(force=True) is not None  # keeps the model in use
        assert classify(NEW).aspects["timeliness"] is None
    finally:
        (learned_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_refresh_switches_to_a_model_another_process_wrote(
        tmp_path: Path, base: list[dict]) -> None:
    assert learning.activate(tmp_path) is None
    learning.learn([Correction(t, ONLY_ATTITUDE, True) for t in COURIER], directory=tmp_path,
                   base=base)
    assert learning.refresh() is None  # checked a moment ago: not yet
    found = learning.refresh(force=True)
    assert found is not None and classify(NEW).aspects["timeliness"] is None


@pytest.mark.parametrize(("shipped", "complaint", "aspects", "polarity"), [
    ("positive", True, {"attitude": "neg"}, "negative"),
    ("positive", True, {"attitude": "neg", "clarity": "pos"}, "mixed"),
    ("mixed", True, {"attitude": "neg"}, "mixed"),
    ("negative", False, {}, "neutral"),
    ("negative", False, {"resolution": "pos"}, "positive"),
    ("neutral", False, {}, "neutral"),
])
def test_a_corrected_comment_gets_a_polarity_that_agrees_with_people(
        shipped: str, complaint: bool, aspects: dict, polarity: str) -> None:
    assert learning.derived_polarity(shipped, complaint, aspects) == polarity


def test_an_overrides_file_with_a_bad_line_is_refused() -> None:
    with pytest.raises(overrides.BadOverrides):
        overrides.parse(["延误\ttimeliness\t0", "延误 speed 0"])
    assert overrides.parse(["# a comment", "", "慢吞吞 timeliness - 2"]) == [
        overrides.Override("慢吞吞", "timeliness", "-", 2.0)]
