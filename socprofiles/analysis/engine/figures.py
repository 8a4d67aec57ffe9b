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
    geometries: Mapping[str, Any], values: Mapping[str, float], hot: set[str], title: str
) -> Figure:
    data = np.array([values.get(code, 0.0) for code in geometries])
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
    names = _band_names(edges)
    handles.append(PolygonPatch([[0, 0]], facecolor="none", edgecolor=HOT, hatch="///"))
    names.append("Hotspot (Gi*, FDR 5%)")
    axes.legend(
        handles, names, loc="lower left", fontsize=8, title="Per 1,000 residents", title_fontsize=8
    )
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
