"""Render the classifier benchmark report as the Markdown tables of docs/benchmarks.md."""

from __future__ import annotations

from classifier_metrics import ASPECTS

TARGETS = {"waimai_dev.csv": "≥ 0.87", "ChnSentiCorp_htl_all.csv": "≥ 0.86"}


def _f(value: object, digits: int = 3) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _both(key: str, ours: dict, base: dict) -> tuple[str, str]:
    return f"**{_f(ours[key])}**", _f(base[key])


def _labelled(prefix: str, part: dict) -> list[str]:
    ours, base = part["ours"], part["baseline"]

    def neg(fig: dict) -> str:
        return " / ".join(_f(fig["negative_aspect_f1"][a]) for a in ASPECTS)

    def neg_pr(fig: dict) -> str:
        pr = fig["aspect_tag_precision_recall"]
        return " / ".join(
            f"{_f(pr[a + '_neg']['precision'], 2)}–{_f(pr[a + '_neg']['recall'], 2)}"
            for a in ASPECTS
        )

    def mixed(fig: dict) -> str:
        return f"{_f(fig['mixed_recall'])} / {_f(fig['mixed_as_complaint_recall'])}"

    return [
        _row(f"{prefix}: 3-class polarity accuracy (mixed = negative)",
             *_both("polarity3_acc", ours, base), "≥ 0.90"),
        _row(f"{prefix}: 4-class polarity accuracy", *_both("polarity4_acc", ours, base), ""),
        _row(f"{prefix}: complaint F1", *_both("complaint_f1", ours, base), "≥ 0.92"),
        _row(f"{prefix}: negative-tag F1 attitude / clarity / timeliness / resolution",
             f"**{neg(ours)}**", neg(base), "≥ 0.85 each"),
        _row(f"{prefix}: negative-tag precision–recall, same order",
             f"{neg_pr(ours)}", neg_pr(base), ""),
        _row(f"{prefix}: aspect macro-F1 (8 tags)", *_both("aspect_macro_f1", ours, base),
             "≥ 0.85"),
        _row(f"{prefix}: mixed recall ({ours['mixed_rows']} mixed) / mixed flagged as complaint",
             f"**{mixed(ours)}**", mixed(base), "≥ 0.80"),
    ]  # fmt: skip


def _subset(part: dict, figure: str, rated: int | None = None) -> str:
    """Quick runs: the baseline ran on the first n rows only; show ours on those rows too."""
    same = part.get("ours_on_baseline_rows")
    if same is None:
        return ""
    rows = f"first {same['rows']} rows" + ("" if rated is None else f", {rated} rated")
    return f" (on the {rows}; ours there {figure})"


def _public(report: dict) -> list[str]:
    lines = []
    for name, part in report["corpora"].items():
        o, b = part["ours"], part["baseline"]
        same = part.get("ours_on_baseline_rows") or {}
        lines.append(
            _row(
                f"{name} ({part['rows']:,}): accuracy / macro-F1",
                f"**{_f(o['acc'])}** / {_f(o['macro_f1'])}",
                f"{_f(b['acc'])} / {_f(b['macro_f1'])}"
                + _subset(part, f"{_f(same.get('acc'))} / {_f(same.get('macro_f1'))}"),
                TARGETS.get(name, "reported"),
            )
        )
    for key, label, target in (
        ("aichallenger_aspects", "AI Challenger", "≥ 0.75"),
        ("asap_aspects", "ASAP", "reported"),
    ):
        for aspect in ("attitude", "timeliness") if key in report else ():
            o, b = report[key]["ours"][aspect], report[key]["baseline"][aspect]
            same = (report[key].get("ours_on_baseline_rows") or {}).get(aspect, {})
            lines.append(
                _row(
                    f"{label} {aspect} macro-F1, rows the gold rates ({o['mentioned_rows']})",
                    f"**{_f(o['mentioned'])}**",
                    _f(b["mentioned"])
                    + _subset(report[key], _f(same.get("mentioned")), b["mentioned_rows"]),
                    target,
                )
            )
    return lines


def _speed(perf: dict) -> list[str]:
    o, b, w = perf["ours"], perf["baseline"], perf["whole_process"]
    wo, wb = w["ours"], w["baseline"]
    return [
        "",
        _row("speed and memory", "ours", "baseline", "target"),
        "|---|---|---|---|",
        _row(f"whole process `classify FILE`, {w['comments']:,} comments (median of {w['runs']})",
             f"**{wo['wall_s']:.2f} s ({w['ratio']:.1f}×)**", f"{wb['wall_s']:.2f} s", "≥ 10×"),
    ] + ([] if wo["one_comment_wall_s"] is None else [
        _row("whole process, one comment", f"{wo['one_comment_wall_s']:.2f} s",
             f"{wb['one_comment_wall_s']:.2f} s", ""),
    ]) + [
        _row("peak RSS of that whole process", f"**{wo['peak_rss_mb']:.0f} MB**",
             f"{wb['peak_rss_mb']:.0f} MB", "≤ 150 MB"),
        _row("cold start (import plus first classification)", f"**{o['cold_start_s']:.2f} s**",
             "—" if b["cold_start_s"] is None else f"{b['cold_start_s']:.2f} s", "≤ 0.5 s"),
        _row(f"throughput in one process ({perf['throughput_texts']:,} waimai reviews)",
             f"{o['comments_per_s']:,.0f} /s ({perf['throughput_ratio']:.1f}×)",
             f"{b['comments_per_s']:,.0f} /s", ""),
    ] + ([] if o["peak_rss_mb_after_n"] is None else [
        _row(f"peak RSS after {perf['perf_n']:,} reviews", f"{o['peak_rss_mb_after_n']:.0f} MB",
             f"{b['peak_rss_mb_after_n']:.0f} MB", "≤ 150 MB"),
    ])  # fmt: skip


def _groups(title: str, ours: dict, base: dict) -> list[str]:
    lines = [
        "",
        _row(title, "n", "ours: polarity / complaint / aspects wrong",
             "baseline: polarity / complaint wrong"),
        "|---|---|---|---|",
    ]  # fmt: skip
    for key, o in ours.items():
        if "hidden" in o:
            lines.append(_row(key, o["n"], f"(hidden: {o['hidden']})", ""))
            continue
        b = base[key]
        mine = f"{o['polarity_error']:.2f} / {o['complaint_error']:.2f} / {o['aspect_error']:.2f}"
        lines.append(
            _row(key, o["n"], mine, f"{b['polarity_error']:.2f} / {b['complaint_error']:.2f}")
        )
    return lines


def table(report: dict) -> str:
    """Return the report's Markdown tables (aggregate figures only)."""
    lines = ["| quality | ours | baseline | target |", "|---|---|---|---|"]
    blind = report.get("blind")
    if blind:
        figures = {k: blind[k]["figures"] for k in ("ours", "baseline")}
        lines += _labelled(f"blind ({blind['rows']})", figures)
    topup = report.get("blind_topup")
    if topup:
        figures = {k: topup[k]["figures"] for k in ("ours", "baseline")}
        lines += _labelled(f"blind top-up ({topup['rows']})", figures)
    if "own_test" in report:
        lines += _labelled(f"own test ({report['own_test']['rows']})", report["own_test"])
    if "own_test_authors" in report:
        fig = report["own_test_authors"]["ours"]
        shown = " / ".join(_f(fig[k]) for k in ("polarity3_acc", "complaint_f1", "aspect_macro_f1"))
        lines.append(_row("own test, its authors' labels: 3-class / complaint F1 / macro-F1",
                          shown, "", ""))
    lines += _public(report)
    if "perf" in report:
        lines += _speed(report["perf"])
    if blind:
        for title, key in (
            ("blind: phenomenon", "by_phenomenon"),
            ("blind: register", "by_register"),
        ):
            lines += _groups(title, blind["ours"][key], blind["baseline"][key])
    lines += ["", f"({'quick' if report['quick'] else 'full'} run, {report['bench_seconds']} s)"]
    lines += [f"note: {n}" for n in report["notes"]]
    return "\n".join(lines)
