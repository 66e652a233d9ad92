"""The PNG chart of a period: each agent's points and the team's weekly trend.

Drawn with matplotlib's Agg backend (no display) in Noto Sans CJK SC, which the `mplfonts`
package ships (SIL OFL), so Chinese names render the same on any machine, offline.
"""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from scoring.reports.export import Export

FONT_FILE = "NotoSansCJKsc-Regular.otf"
Gettext = Callable[[str], str]


@cache
def cjk_font() -> tuple[str, Path] | None:
    """Register the bundled CJK font with matplotlib; return (family, path) or None."""
    from matplotlib import font_manager  # why: matplotlib loads only when a chart is drawn

    spec = importlib.util.find_spec("mplfonts")
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location) / "fonts" / FONT_FILE
        if path.exists():
            font_manager.fontManager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path)).get_name(), path
    return None


def build_chart(agents: Sequence[tuple[str, float | None]],
                trend: Sequence[tuple[str, float | None]], *, title: str,
                gettext: Gettext | None = None) -> bytes:
    """Return a PNG: a bar per agent (points) and the team's mean points per week."""
    # why: matplotlib (~0.5 s, 40 MB) loads only when a chart is drawn
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    _ = gettext or (lambda text: text)
    font = cjk_font()
    families = [font[0], "DejaVu Sans"] if font else ["DejaVu Sans"]
    with matplotlib.rc_context({"font.family": families, "axes.unicode_minus": False}):
        # A Figure without pyplot: no global state, safe to draw in a worker thread.
        fig = Figure(figsize=(8, 4 + 0.35 * max(len(agents), 1)), dpi=110)
        FigureCanvasAgg(fig)
        bars, line = fig.subplots(2, 1, gridspec_kw={"height_ratios": [max(len(agents), 2), 3]})
        names = [name for name, _total in agents][::-1]
        values = [total or 0.0 for _name, total in agents][::-1]
        colors = ["#4472C4" if v >= 70 else "#ED7D31" for v in values]
        bars.barh(names, values, color=colors)
        for y, v in enumerate(values):
            bars.text(v + 1, y, f"{v:.1f}", va="center", fontsize=9)
        bars.set_xlim(0, 110)
        bars.set_xlabel(_("Points"))
        bars.set_title(title)
        if not agents:
            bars.text(55, 0, _("No data"), ha="center")
        weeks = [w for w, _v in trend]
        means = [v if v is not None else float("nan") for _w, v in trend]
        line.plot(weeks, means, marker="o", color="#70AD47")
        line.set_ylim(0, 105)
        line.set_ylabel(_("Team mean points"))
        line.set_title(_("Team weekly trend"))
        line.tick_params(axis="x", labelrotation=30, labelsize=8)
        line.grid(alpha=0.3)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
    return out.getvalue()


def chart_from_export(data: Export, *, title: str, gettext: Gettext | None = None) -> bytes:
    """Draw the chart of an export (agents' totals, the team trend)."""
    agents = [(r.name or r.external_id, r.total) for r in data.team.rows]
    return build_chart(agents, data.trend, title=title, gettext=gettext)


def build_matrix_chart(buildings: Sequence[str], categories: Sequence[str],
                       counts: Sequence[Sequence[int]], *, title: str,
                       gettext: Gettext | None = None) -> bytes:
    """Return a PNG table of complaints: a row per building, a column per category."""
    # why: matplotlib (~0.5 s, 40 MB) loads only when a chart is drawn
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    _ = gettext or (lambda text: text)
    font = cjk_font()
    families = [font[0], "DejaVu Sans"] if font else ["DejaVu Sans"]
    with matplotlib.rc_context({"font.family": families, "axes.unicode_minus": False}):
        fig = Figure(figsize=(2.5 + 1.1 * max(len(categories), 1),
                              1.8 + 0.4 * max(len(buildings), 1)), dpi=110)
        FigureCanvasAgg(fig)
        ax = fig.subplots()
        ax.set_title(title)
        if not buildings:
            ax.axis("off")
            ax.text(0.5, 0.5, _("No complaints"), ha="center", va="center")
        else:
            peak = max(max(row) for row in counts) or 1
            ax.imshow(counts, cmap="Oranges", vmin=0, vmax=peak * 1.3, aspect="auto")
            ax.set_xticks(range(len(categories)), labels=list(categories), rotation=30,
                          ha="right", fontsize=9)
            ax.set_yticks(range(len(buildings)), labels=list(buildings), fontsize=9)
            ax.set_xlabel(_("Category"))
            ax.set_ylabel(_("Building"))
            for y, row in enumerate(counts):
                for x, n in enumerate(row):
                    ax.text(x, y, str(n) if n else "·", ha="center", va="center", fontsize=9)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
    return out.getvalue()
