"""Static figures for documents (PNG and SVG) with matplotlib: a map of LSOA rates with
the hotspots outlined, monthly trends, the breakdown by indicator and the deprivation
profile. Each comes with a text alternative; the page shows its data as a table."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Polygon as PolygonPatch

# Colour-blind-safe sequential blues and an orange outline (Okabe-Ito) for hotspots.
BLUES = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]
HOT = "#d55e00"
FORMATS = ("png", "svg")


@dataclass
class Chart:
    """A figure's title and text alternative, known without drawing it; `render` draws."""

    name: str
    title: str
    alt: str
    draw: Callable[[], Figure]

    def render(self, fmt: str) -> bytes:
        if fmt not in FORMATS:
            raise ValueError(f"figures are PNG or SVG, not {fmt!r}")
        figure = self.draw()
        try:
            buffer = io.BytesIO()
            metadata: dict[str, Any] = {"Title": self.title}
            if fmt == "svg":
                metadata["Date"] = None  # the same figure gives the same bytes
            figure.savefig(buffer, format=fmt, dpi=150, bbox_inches="tight", metadata=metadata)
            return buffer.getvalue()
        finally:
            plt.close(figure)


def _polygons(geometry: Any) -> list[np.ndarray]:
    parts = getattr(geometry, "geoms", [geometry])
    return [np.asarray(part.exterior.coords) for part in parts if not part.is_empty]


def rate_map(
    geometries: Mapping[str, Any], hotspots: list[Mapping[str, Any]], *, title: str
) -> Chart:
    values = {h["lsoa_code"]: (h.get("value") or 0.0) for h in hotspots}
    hot = {h["lsoa_code"] for h in hotspots if h.get("class") == "hot"}
    alt = (
        f"Map of {len(values)} LSOAs shaded by the rate of SOC indicator crime per 1,000 "
        f"residents in five bands; {len(hot)} hotspot LSOA{'s' if len(hot) != 1 else ''} "
        "outlined in orange. The table of hotspots below gives the data."
    )

    def draw() -> Figure:
        return _draw_map(geometries, values, hot, title)

    return Chart("map", title, alt, draw)


def _draw_map(
    geometries: Mapping[str, Any],
    values: Mapping[str, float],
    hot: set[str],
    title: str,
    *,
    legend: str = "Per 1,000 residents",
    edges: np.ndarray | None = None,
    band_names: list[str] | None = None,
    outline_name: str = "Hotspot (Gi*, FDR 5%)",
) -> Figure:
    data = np.array([values.get(code, 0.0) for code in geometries])
    if edges is None:
        edges = np.unique(np.quantile(data, [0.2, 0.4, 0.6, 0.8])) if data.size else np.array([])
    figure, axes = plt.subplots(figsize=(7, 7))
    patches, colours, outlines = [], [], []
    for code, geometry in geometries.items():
        band = int(np.searchsorted(edges, values.get(code, 0.0), side="right"))
        for ring in _polygons(geometry):
            patches.append(PolygonPatch(ring, closed=True))
            colours.append(BLUES[min(band, len(BLUES) - 1)])
            if code in hot:
                outlines.append(PolygonPatch(ring, closed=True))
    axes.add_collection(
        PatchCollection(patches, facecolor=colours, edgecolor="#505a5f", linewidth=0.2)
    )
    if outlines:
        axes.add_collection(
            PatchCollection(outlines, facecolor="none", edgecolor=HOT, linewidth=1.4, hatch="///")
        )
    axes.autoscale_view()
    axes.set_aspect(1 / np.cos(np.radians(np.mean(axes.get_ylim()))))
    axes.set_axis_off()
    axes.set_title(title, fontsize=11, loc="left")
    handles = [
        PolygonPatch([[0, 0]], facecolor=c, edgecolor="#505a5f") for c in BLUES[: len(edges) + 1]
    ]
    names = band_names or _band_names(edges)
    handles.append(PolygonPatch([[0, 0]], facecolor="none", edgecolor=HOT, hatch="///"))
    names.append(outline_name)
    axes.legend(handles, names, loc="lower left", fontsize=8, title=legend, title_fontsize=8)
    return figure


def _band_names(edges: np.ndarray) -> list[str]:
    bounds = [0.0, *edges.tolist()]
    names = []
    for i, low in enumerate(bounds):
        high = bounds[i + 1] if i + 1 < len(bounds) else None
        names.append(f"{low:.1f} to {high:.1f}" if high is not None else f"{low:.1f} and above")
    return names


def trend_chart(
    monthly: list[Mapping[str, Any]], labels: Mapping[str, str], *, title: str
) -> Chart:
    months = [row["month"] for row in monthly]
    peaks = []
    for key, label in labels.items():
        series = [row.get(key, 0) for row in monthly]
        if series and max(series) > 0:
            top = months[int(np.argmax(series))]
            peaks.append(f"{label}: {min(series)} to {max(series)} a month, highest in {top}")
    span = f"{months[0]} to {months[-1]}" if months else "no months"
    alt = f"Line chart of monthly counts, {span}. " + "; ".join(peaks) + "."

    def draw() -> Figure:
        figure, axes = plt.subplots(figsize=(8, 4))
        styles = ["-", "--", "-.", ":"]
        for i, (key, label) in enumerate(labels.items()):
            series = [row.get(key, 0) for row in monthly]
            axes.plot(months, series, styles[i % 4], marker="o", label=label)
        axes.set_ylabel("Crimes recorded")
        axes.set_title(title, fontsize=11, loc="left")
        axes.tick_params(axis="x", rotation=45, labelsize=8)
        axes.legend(fontsize=7)
        axes.grid(alpha=0.3)
        return figure

    return Chart("trend", title, alt, draw)


def breakdown_chart(rows: list[Mapping[str, Any]], *, title: str) -> Chart:
    rows = [r for r in rows if r.get("indicator") not in (None, "All")]
    names = [r["label"] for r in rows]
    values = [r["rate_per_1000"] for r in rows]
    pairs = "; ".join(f"{n} {v}" for n, v in zip(names, values, strict=True))
    alt = f"Bar chart of rates per 1,000 residents: {pairs}."

    def draw() -> Figure:
        figure, axes = plt.subplots(figsize=(8, 3.5))
        axes.barh(names[::-1], values[::-1], color=BLUES[3])
        axes.set_xlabel("Rate per 1,000 residents")
        axes.set_title(title, fontsize=11, loc="left")
        axes.tick_params(axis="y", labelsize=8)
        return figure

    return Chart("breakdown", title, alt, draw)


def deprivation_chart(profile: list[Mapping[str, Any]], *, title: str) -> Chart:
    deciles = [int(r["imd_decile"]) for r in profile if r.get("imd_decile") is not None]
    shares = [float(r["hot_share"]) * 100 for r in profile if r.get("imd_decile") is not None]
    pairs = "; ".join(f"decile {d}: {s:.0f}%" for d, s in zip(deciles, shares, strict=True))
    alt = f"Bar chart of the share of LSOAs that are hotspots in each deprivation decile: {pairs}."

    def draw() -> Figure:
        figure, axes = plt.subplots(figsize=(8, 3.5))
        axes.bar([str(d) for d in deciles], shares, color=HOT)
        axes.set_xlabel("IMD 2019 decile (1 = most deprived tenth of England)")
        axes.set_ylabel("LSOAs that are hotspots (%)")
        axes.set_title(title, fontsize=11, loc="left")
        return figure

    return Chart("deprivation", title, alt, draw)


def all_charts(
    result: Mapping[str, Any], geometries: Mapping[str, Any] | None = None
) -> list[Chart]:
    """Every figure of a result. The map needs the LSOA geometries only to be drawn: pass
    None to get its title and text alternative alone."""
    labels = {k: v["label"] for k, v in result["indicators"].items()}
    period = f"{result['period']['start']} to {result['period']['end']}"
    charts = [
        trend_chart(result["monthly"], labels, title="SOC indicator crimes by month"),
        breakdown_chart(
            result["by_indicator"], title=f"SOC indicators per 1,000 residents, {period}"
        ),
    ]
    if result["hotspots"]:
        charts.insert(
            0,
            rate_map(
                geometries or {},
                result["hotspots"],
                title=f"SOC indicator crime and hotspots, {period}",
            ),
        )
    if result["deprivation_profile"]:
        charts.append(
            deprivation_chart(result["deprivation_profile"], title="Hotspots by deprivation decile")
        )
    return charts


# Figures for the Local Profile document: more maps and charts than the page shows.


def indicator_map(
    geometries: Mapping[str, Any], result: Mapping[str, Any], key: str, *, title: str
) -> Chart:
    """One indicator's rate per LSOA with that indicator's own Gi* hotspots outlined."""
    population = {h["lsoa_code"]: h.get("population") or 0 for h in result["hotspots"]}
    counts = result.get("lsoa_counts_by_indicator", {}).get(key, {})
    values = {
        code: counts.get(code, 0) * 1000 / residents
        for code, residents in population.items()
        if residents
    }
    hot = set(result.get("hotspots_by_indicator", {}).get(key, []))
    label = result["indicators"][key]["label"]
    alt = (
        f"Map of {len(values)} LSOAs shaded by the rate of {label} per 1,000 residents in five "
        f"bands; {len(hot)} LSOA{'s' if len(hot) != 1 else ''} where it is a hotspot outlined. "
        f"{sum(counts.values()):,} crimes in all."
    )

    def draw() -> Figure:
        return _draw_map(geometries, values, hot, title)

    return Chart(f"map_{key}", title, alt, draw)


DEPRIVATION_BANDS = np.array([2.5, 4.5, 6.5, 8.5])


def deprivation_map(
    geometries: Mapping[str, Any], hotspots: list[Mapping[str, Any]], *, title: str
) -> Chart:
    """IMD 2019 deciles (most deprived darkest) with the crime hotspots outlined: where
    harm and vulnerability meet."""
    deciles = {h["lsoa_code"]: h.get("imd_decile") for h in hotspots}
    values = {c: 11 - float(d) for c, d in deciles.items() if d is not None}
    hot = {h["lsoa_code"] for h in hotspots if h.get("class") == "hot"}
    meets = sum(1 for h in hotspots if h.get("harm_meets_vulnerability"))
    alt = (
        f"Map of {len(values)} LSOAs shaded by IMD 2019 decile, most deprived darkest; "
        f"{len(hot)} hotspots outlined, {meets} of them in the most deprived fifth."
    )
    names = ["Deciles 9-10 (least deprived)", "Deciles 7-8", "Deciles 5-6", "Deciles 3-4"]
    names.append("Deciles 1-2 (most deprived)")

    def draw() -> Figure:
        return _draw_map(
            geometries,
            values,
            hot,
            title,
            legend="IMD 2019",
            edges=DEPRIVATION_BANDS,
            band_names=names,
        )

    return Chart("map_deprivation", title, alt, draw)


def persistence_map(
    geometries: Mapping[str, Any], result: Mapping[str, Any], *, title: str
) -> Chart:
    """How many months of the period each LSOA was a hotspot on its own."""
    rows = result.get("persistence", [])
    values = {r["lsoa_code"]: float(r["months_hot"]) for r in rows}
    months = len(result["period"]["months"])
    always = {r["lsoa_code"] for r in rows if int(r["months_hot"]) == months}
    edges = np.array([0.5, 1.5, 2.5, max(3.5, months - 0.5)])
    alt = (
        f"Map of LSOAs shaded by the number of months, of {months}, in which each was a "
        f"hotspot; {len(values)} were hot in at least one month and {len(always)} in every "
        "month (outlined)."
    )
    names = ["Never", "1 month", "2 months", f"3 to {months - 1} months", "Every month"]

    def draw() -> Figure:
        return _draw_map(
            geometries,
            values,
            always,
            title,
            legend="Months a hotspot",
            edges=edges,
            band_names=names,
            outline_name="Hot every month",
        )

    return Chart("map_persistence", title, alt, draw)


def comparison_chart(
    rows: list[Mapping[str, Any]], labels: Mapping[str, str], *, title: str
) -> Chart:
    """Each indicator this period against the previous period and a year before (a
    comparison without data is drawn as zero and said to be missing in the text)."""
    rows = [r for r in rows if r.get("indicator") not in (None, "All")]
    names = [labels.get(str(r["indicator"]), str(r["indicator"])) for r in rows]
    series = {
        "This period": [r.get("current") or 0 for r in rows],
        "Previous period": [r.get("previous") or 0 for r in rows],
        "A year before": [r.get("year_before") or 0 for r in rows],
    }
    pairs = "; ".join(
        f"{r_name}: {r.get('current')} now, {_or_missing(r.get('previous'))} the period before, "
        f"{_or_missing(r.get('year_before'))} a year before"
        for r_name, r in zip(names, rows, strict=True)
    )
    alt = f"Grouped bar chart of crimes recorded by indicator. {pairs}."

    def draw() -> Figure:
        figure, axes = plt.subplots(figsize=(8, 3.8))
        y = np.arange(len(names))
        for i, (label, values) in enumerate(series.items()):
            axes.barh(y + (i - 1) * 0.27, values, height=0.27, label=label, color=BLUES[i + 2])
        axes.set_yticks(y, [n[:40] for n in names], fontsize=7)
        axes.invert_yaxis()
        axes.set_xlabel("Crimes recorded")
        axes.set_title(title, fontsize=11, loc="left")
        axes.legend(fontsize=7)
        return figure

    return Chart("comparison", title, alt, draw)


def _or_missing(value: Any) -> str:
    return "no data" if value is None else str(value)


def matrix_chart(
    name: str, labels: list[str], matrix: list[list[float]], *, title: str, measure: str
) -> Chart:
    """A co-occurrence matrix as a heat map with its values written in."""
    strongest = []
    for i in range(len(labels)):
        for j in range(i + 1, len(labels)):
            strongest.append((matrix[i][j], labels[i], labels[j]))
    strongest.sort(reverse=True)
    top = "; ".join(f"{a} with {b}: {v:.2f}" for v, a, b in strongest[:3])
    alt = f"Heat map of {measure} between {len(labels)} items. Strongest: {top or 'none'}."

    def draw() -> Figure:
        size = max(4.0, 0.6 * len(labels) + 2)
        figure, axes = plt.subplots(figsize=(size + 1.5, size))
        data = np.array(matrix, dtype=float) if labels else np.zeros((1, 1))
        image = axes.imshow(data, cmap="Blues")
        short = [label[:24] for label in labels]
        axes.set_xticks(range(len(labels)), short, rotation=60, ha="right", fontsize=7)
        axes.set_yticks(range(len(labels)), short, fontsize=7)
        for i in range(len(labels)):
            for j in range(len(labels)):
                value = data[i, j]
                colour = "white" if value > data.max() * 0.6 else "black"
                axes.text(j, i, f"{value:.2g}", ha="center", va="center", fontsize=6, color=colour)
        figure.colorbar(image, ax=axes, shrink=0.7, label=measure)
        axes.set_title(title, fontsize=11, loc="left")
        return figure

    return Chart(name, title, alt, draw)


def ranking_chart(name: str, rows: list[tuple[str, float]], *, title: str, measure: str) -> Chart:
    """Horizontal bars, highest first: a ranking such as MoRiLE priorities."""
    pairs = "; ".join(f"{label} {value:g}" for label, value in rows)
    alt = f"Bar chart of {measure}, highest first: {pairs}."

    def draw() -> Figure:
        figure, axes = plt.subplots(figsize=(8, max(2.5, 0.4 * len(rows) + 1)))
        labels = [label[:45] for label, _ in rows][::-1]
        axes.barh(labels, [value for _, value in rows][::-1], color=BLUES[3])
        axes.set_xlabel(measure)
        axes.tick_params(axis="y", labelsize=8)
        axes.set_title(title, fontsize=11, loc="left")
        return figure

    return Chart(name, title, alt, draw)
