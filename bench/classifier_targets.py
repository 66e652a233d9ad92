"""Target features tried on the CV (eleventh session), not shipped: whom a judgement is about.

Each judgement word (a lexicon cue, its sign turned by a negation just before it) is tied to
what its clause names: a person (P), the firm (F: 物业, 你们), a thing, fee or rule (X),
another aspect's target (C/T/R: 解释, 速度, 效果), or nothing (0): 师傅态度差 gives t:P-,
物业费太贵 gives t:X-. "u:" features tie the word itself to whether a person is named
(u:P-差, u:0-贵). The idea: the attitude head's wrong tags are mostly judgements of things.
Scored with `bench/classifier_cv.py --targets --halves --writers-only --configs
no-targets,targets,targets+words`: +0.002 aspect macro-F1 on unseen writers, attitude neg
F1 unchanged, under the +0.004 bar the rule set (docs/benchmarks.md, eleventh session).
"""

from __future__ import annotations

from scoring.classifier import lexicon
from scoring.classifier.cues import PUNCT
from scoring.classifier.lexicon import Lexicon

FIRM = frozenset({"物业", "物业公司", "公司", "管理处", "物管", "你们", "贵公司", "物业方"})
THINGS = frozenset({
    "费", "物业费", "停车费", "管理费", "收费", "价格", "价钱", "钱", "费用", "账单",
    "押金", "电梯", "门禁", "门禁卡", "设施", "设备", "环境", "卫生", "绿化", "垃圾",
    "噪音", "灯", "路灯", "水", "水压", "电", "网", "信号", "车位", "停车场",
    "车库", "地库", "小区", "楼道", "大门", "道闸", "监控", "管道", "水管", "下水道",
    "空调", "暖气", "规定", "制度", "流程", "政策", "规矩", "系统", "程序", "小程序",
    "app", "APP", "公告", "通知单", "装修", "工程", "质量", "房子",
})
_TARGET_ASPECT = {"clarity": "C", "timeliness": "T", "resolution": "R"}


def _clause_targets(clause: list[str], lex: Lexicon) -> set[str]:
    found = set()
    for tok in clause:
        if tok in FIRM:
            found.add("F")
        elif tok in lex.people:
            found.add("P")
        elif tok in THINGS:
            found.add("X")
        elif (aspect := lex.targets.get(tok)) in _TARGET_ASPECT:
            found.add(_TARGET_ASPECT[aspect])
    return found or {"0"}


def target_features(tokens: list[str], lex: Lexicon) -> set[str]:
    """Return each judgement word's sign tied to what its clause names."""
    feats: set[str] = set()
    clause: list[str] = []
    judged: list[tuple[str, str, str]] = []
    for tok in [*tokens, "。"]:
        if not PUNCT.issuperset(tok):
            cue = lex.cues.get(tok)
            if cue is not None and cue.weight:
                negated = any(t in lex.negations for t in clause[-2:])
                sign = "+" if (cue.weight > 0) != negated else "-"
                judged.append((sign, (cue.aspect or "0")[0], tok))
            clause.append(tok)
            continue
        if judged:
            cats = _clause_targets(clause, lex)
            people = "P" if {"P", "F"} & cats else "0"
            for sign, aspect, word in judged:
                feats.update(f"t:{cat}{sign}" for cat in cats)
                feats.update(f"t:{cat}{sign}{aspect}" for cat in cats)
                feats.add(f"u:{people}{sign}{word}")
        clause, judged = [], []
    return feats


def features_of(tokens: list[str]) -> set[str]:
    """Return the target features of a tokenised comment with the shipped lexicons."""
    return target_features(tokens, lexicon.load())
