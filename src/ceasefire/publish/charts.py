"""The report's map and chart, drawn locally with matplotlib (Agg, no display, no tile server):
the pack's areas are the basemap, so nothing is fetched from the network."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before pyplot: render to files on machines without a display

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Ellipse, Polygon  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from ceasefire.model import AgreementPack, Area  # noqa: E402
from ceasefire.publish.palette import VERDICT_STYLES, VerdictStyle, party_colours, verdict_style  # noqa: E402
from ceasefire.publish.report import PeriodReport  # noqa: E402

MARKERS = {"triangle": "^", "diamond": "D", "circle": "o", "ring": "o", "square": "s", "cross": "P"}
LABELLED_KINDS = ("governorate",)
KM_PER_DEGREE = 111.0


def incident_map(report: PeriodReport, pack: AgreementPack, *, dpi: int = 150) -> bytes:
    """A PNG map of the period's incidents by verdict over the pack's areas (outlines from their
    GeoJSON where given, else circles of their radius; localities as dots)."""
    figure, axes = plt.subplots(figsize=(7.5, 6.2))
    try:
        for area in pack.areas.values():
            _draw_area(axes, area, pack)
        for rank, style in enumerate(VERDICT_STYLES):
            _draw_verdict(axes, report, style, zorder=20 - rank)  # the worst verdicts on top
        _frame(axes, report, pack)
        return _png(figure, dpi)
    finally:
        plt.close(figure)


def _draw_verdict(axes: Any, report: PeriodReport, style: VerdictStyle, zorder: int) -> None:
    """Exact places as the verdict's shape; places known only roughly as hollow dashed circles of that size."""
    mine = [p for p in report.points if verdict_style(p.verdict) is style]
    exact = [p for p in mine if not p.uncertainty_km]
    for p in mine:
        if p.uncertainty_km:
            height = 2 * p.uncertainty_km / KM_PER_DEGREE
            width = height / math.cos(math.radians(p.latitude))
            axes.add_patch(Ellipse((p.longitude, p.latitude), width, height, fill=False, edgecolor=style.colour,
                                   linestyle="--", linewidth=1.4, zorder=zorder))
    face = "white" if style.shape == "ring" else style.colour
    if mine:
        coarse = len(mine) - len(exact)
        axes.scatter([p.longitude for p in exact], [p.latitude for p in exact], s=34, c=face,
                     marker=MARKERS[style.shape], edgecolors=style.colour if style.shape == "ring" else "black",
                     linewidths=1.4 if style.shape == "ring" else 0.4, zorder=zorder,
                     label=f"{style.label} ({len(mine)}" + (f", {coarse} as areas)" if coarse else ")"))


def _draw_area(axes: Any, area: Area, pack: AgreementPack) -> None:
    if area.kind == "country":
        return
    if area.kind in ("locality", "neighbourhood"):
        axes.plot(area.longitude, area.latitude, marker=".", markersize=2, color="#aab7b8", zorder=2)
        return
    outline = _outline(area, pack)
    if outline:
        for ring in outline:
            axes.add_patch(Polygon(ring, closed=True, fill=False, edgecolor="#5d6d7e", linewidth=0.8, zorder=3))
    else:
        height = 2 * area.radius_km / KM_PER_DEGREE
        width = height / math.cos(math.radians(area.latitude))  # a degree of longitude shrinks away from the equator
        axes.add_patch(Ellipse((area.longitude, area.latitude), width, height, fill=True, facecolor="#eaf2f8",
                               edgecolor="#5d6d7e", linewidth=0.6, alpha=0.6, zorder=1))
    if area.kind in LABELLED_KINDS:
        axes.annotate(area.name, (area.longitude, area.latitude), fontsize=6, color="#34495e", ha="center",
                      zorder=4)


def _outline(area: Area, pack: AgreementPack) -> list[list[tuple[float, float]]]:
    """Outer rings of the area's GeoJSON polygon(s), if the pack gives a geometry file."""
    if not area.geometry:
        return []
    data = json.loads((Path(pack.path) / area.geometry).read_text(encoding="utf-8"))
    geometries = [f["geometry"] for f in data.get("features", [])] if data.get("type") == "FeatureCollection" \
        else [data.get("geometry", data)]
    rings = []
    for geometry in geometries:
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings += [[(x, y) for x, y, *_ in polygon[0]] for polygon in polygons if geometry["type"].endswith("Polygon")]
    return rings


def _frame(axes: Any, report: PeriodReport, pack: AgreementPack) -> None:
    """Fit the view to the scope's areas and the incidents, keep degrees square, add the legend."""
    areas = [a for a in pack.areas.values() if a.kind != "country"]
    longitudes = [a.longitude for a in areas] + [p.longitude for p in report.points]
    latitudes = [a.latitude for a in areas] + [p.latitude for p in report.points]
    if longitudes:
        axes.set_xlim(min(longitudes) - 0.5, max(longitudes) + 0.5)
        axes.set_ylim(min(latitudes) - 0.5, max(latitudes) + 0.5)
    axes.set_aspect(1 / math.cos(math.radians(sum(latitudes) / len(latitudes))) if latitudes else "equal")
    axes.set_xlabel("longitude")
    axes.set_ylabel("latitude")
    axes.set_title(f"Incidents {report.start} to {report.end} by verdict", fontsize=10)
    axes.grid(color="#ecf0f1", linewidth=0.5)
    if report.points:
        axes.legend(loc="lower left", fontsize=7, framealpha=0.9)


def daily_chart(report: PeriodReport, *, dpi: int = 150) -> bytes:
    """A PNG stacked bar chart of violations per day, one colour per responsible party."""
    figure, axes = plt.subplots(figsize=(7.5, 3.2))
    try:
        days = report.days
        positions = list(range(len(days)))
        bottom = [0] * len(days)
        colours = party_colours(sorted(report.daily))
        for party, per_day in sorted(report.daily.items()):
            heights = [per_day.get(day, 0) for day in days]
            axes.bar(positions, heights, bottom=bottom, label=party, width=0.8, color=colours[party],
                     edgecolor="#1a1a1a", linewidth=0.3)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        step = max(1, len(days) // 10)  # about ten day labels, whatever the period's length
        axes.set_xticks(positions[::step], labels=[day.isoformat() for day in days[::step]])
        axes.set_ylabel("violations")
        axes.set_title("Violations per day by responsible party", fontsize=10)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        if report.daily:
            axes.legend(fontsize=7, loc="upper left")
        else:
            axes.text(0.5, 0.5, "No violations found in this period", transform=axes.transAxes, ha="center")
        figure.autofmt_xdate()
        return _png(figure, dpi)
    finally:
        plt.close(figure)


def _png(figure: Figure, dpi: int) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()
