"""Lexicon files are plain data an admin can extend without touching code."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from scoring.classifier import lexicon, rules, segmentation

LEXICONS = segmentation.LEXICON_DIR


def _words(name: str) -> list[str]:
    rows = []
    for raw in (LEXICONS / name).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            rows.append(line.split())
    return [r[0] for r in rows if len(r) < 2 or r[1] != "@"]


def test_every_lexicon_line_parses() -> None:
    lex = lexicon.load()
    assert "不耐烦" in lex.cues and lex.cues["不耐烦"].weight < 0
    assert lex.cues["及时"].aspect == "timeliness"
    assert "不" in lex.negations
    assert lex.degree["非常"] > 1 > lex.degree["有点"]
    assert "但是" in lex.but and "虽然" in lex.concede
    assert "希望" in lex.hope


def test_no_word_is_listed_twice_across_cue_files() -> None:
    files = ("attitude.txt", "clarity.txt", "timeliness.txt", "resolution.txt", "sentiment.txt")
    counts = Counter(w for name in files for w in _words(name))
    assert [w for w, n in counts.items() if n > 1] == []


def test_an_admin_added_cue_takes_effect(tmp_path: Path) -> None:
    custom = tmp_path / "lexicons"
    shutil.copytree(LEXICONS, custom)
    text = "管家办事很麻溜"
    tokens = segmentation.tokens(segmentation.normalize(text))
    before = rules.analyze(tokens, lexicon.load(custom))
    assert before.aspect_scores()["timeliness"] == 0
    with (custom / "timeliness.txt").open("a", encoding="utf-8") as fh:
        fh.write("\n麻溜 +  # added by an admin\n")
    lexicon.reload()
    after = rules.analyze(tokens, lexicon.load(custom))
    assert after.aspect_scores()["timeliness"] > 0
    lexicon.reload()
