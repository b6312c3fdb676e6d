"""The report's charts as PNG images, drawn with matplotlib in a CJK font (pure, no Django).

The font is Debian's Noto Sans CJK (``fonts-noto-cjk``, installed by ``make demo``/``make test`` when
missing) or another CJK font the system has; without one, Chinese would print as boxes, so the writer
is told (``cjk_font()`` returns None) and says so in the report.
"""

from __future__ import annotations

import io
from functools import lru_cache

from carbonpeak.reports.content import SAMPLE_LABEL, Figure

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
)
GRADE_COLOURS = {"基本顺利": "#2f8f5f", "比较严峻": "#e0a800", "十分严峻": "#c0392b", "未评估": "#adb5bd"}
GRADE_COLOURS_BY_CODE = {"green": "#2f8f5f", "yellow": "#e0a800", "red": "#c0392b", "ungraded": "#adb5bd"}
GREEN, BLUE, GREY = "#0b5d3b", "#3d6fb6", "#6c757d"


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    from matplotlib import font_manager

    def find() -> str | None:
        available = {f.name for f in font_manager.fontManager.ttflist}
        return next((name for name in CJK_FONTS if name in available), None)

    found = find()
    if found is None:  # matplotlib's font cache may predate the font's installation: add the files directly
        for path in font_manager.findSystemFonts():
            if "cjk" in path.lower() or "wqy" in path.lower():
                font_manager.fontManager.addfont(path)
        found = find()
    return found


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    font = cjk_font()
    plt.rcParams["font.family"] = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["font.size"] = 9
    return plt


def render(figure: Figure, sample: bool, width_in: float = 6.3, height_in: float = 2.9) -> bytes:
    """One figure as PNG bytes (200 dpi, so that it prints sharply)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=200)
    try:
        {"trend": _trend, "fan": _fan, "grades": _grades, "bars": _bars}[figure.kind](ax, figure.data)
        ax.set_title(figure.title, fontsize=10)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color="#e9ecef", linewidth=0.6)
        ax.set_axisbelow(True)
        if sample:
            fig.text(0.99, 0.01, SAMPLE_LABEL, ha="right", va="bottom", fontsize=9, color="#b8860b")
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(fig)


def _trend(ax, data: dict) -> None:
    labels = data["labels"]
    x = range(len(labels))
    ax.bar(x, data["bars"], color=BLUE, label=data["bars_label"])
    ax.set_ylabel(data["unit"])
    ax.set_xticks(list(x), labels, rotation=45, ha="right", fontsize=7)
    if data.get("highlight") in labels:
        i = labels.index(data["highlight"])
        ax.patches[i].set_color(GREEN)
    ax.legend(loc="upper left", fontsize=8, frameon=False)


def _fan(ax, data: dict) -> None:
    hy, hv = data["history_years"], data["history"]
    py = data["years"]
    ax.fill_between(
        [hy[-1], *py], [hv[-1], *data["p10"]], [hv[-1], *data["p90"]], color=BLUE, alpha=0.25, label="P10–P90"
    )
    words = data.get("words") or {}  # the legend in the report's language (collection gives it)
    ax.plot(
        [hy[-1], *py],
        [hv[-1], *data["p50"]],
        color=BLUE,
        linestyle="--",
        label=words.get("p50", "中位数 P50"),
    )
    ax.plot(hy, hv, color=GREEN, marker="o", markersize=3, label=words.get("history", "核算值"))
    ax.axvline(2030, color="#c0392b", linestyle=":", linewidth=1)
    ax.set_ylabel(data["unit"])
    ax.legend(loc="upper left", fontsize=8, frameon=False)


def _grades(ax, data: dict) -> None:
    names = list(data["counts"])
    values = [data["counts"][n] for n in names]
    codes = data.get("codes") or {}  # each name's grade (green, yellow, red, ungraded): its colour
    colours = [GRADE_COLOURS_BY_CODE.get(codes.get(n, ""), GRADE_COLOURS.get(n, GREY)) for n in names]
    bars = ax.barh(names, values, color=colours)
    ax.bar_label(bars, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(data.get("axis", "目标个数"))


def _bars(ax, data: dict) -> None:
    names = list(data["values"])
    values = [data["values"][n] for n in names]
    bars = ax.barh(names, values, color=BLUE)
    ax.bar_label(bars, fmt="%.1f", fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(data["unit"])
