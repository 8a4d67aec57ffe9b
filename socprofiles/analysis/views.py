"""The threat picture pages: the analysis of an area and period, its figures and map data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from socprofiles.accounts.selectors import partnership_get_for_user
from socprofiles.core.classification import OFFICIAL
from socprofiles.core.exceptions import ServiceError

from . import permissions, selectors, services
from .forms import AnalysisForm

# The engine (pandas, matplotlib, SciPy) is imported inside the views that need it, so that
# loading the URLs, and every command and process that does, stays light.
FIGURE_FORMATS = ("png", "svg")

CHART_NAMES = {"map", "trend", "breakdown", "deprivation"}


def _partnership(request: HttpRequest, slug: str) -> Any:
    partnership = partnership_get_for_user(user=request.user, slug=slug)
    if not permissions.can_view_analysis(request.user, partnership):
        raise Http404("No such partnership.")
    return partnership


@login_required
@require_GET
def analysis(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    areas = selectors.areas_for_partnership(partnership=partnership)
    default = selectors.default_period(partnership=partnership)
    data = request.GET if "start" in request.GET else None
    initial = {"area": partnership.area.code}
    if default is not None:
        initial.update({"start": default.start, "end": default.end})
    form = AnalysisForm(data, areas=areas, initial=initial)
    context: dict[str, Any] = {
        "partnership": partnership,
        "form": form,
        "classification": OFFICIAL,
        "has_data": default is not None,
    }
    chosen = None
    if data is not None and form.is_valid():
        chosen = (form.cleaned_data["area"], form.cleaned_data["start"], form.cleaned_data["end"])
    elif data is None and default is not None:
        chosen = (partnership.area.code, default.start, default.end)
    if chosen is not None:
        area = selectors.area_get_for_partnership(partnership=partnership, code=chosen[0])
        try:
            period = services.period_from(chosen[1], chosen[2])
            stored = services.analysis_run(
                actor=request.user, partnership=partnership, area=area, period=period
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            from .engine.report import summary_sentences

            result = stored.result
            labels = {k: v["label"] for k, v in result["indicators"].items()}
            hot = [h for h in result["hotspots"] if h["class"] == "hot"]
            persistence = {p["lsoa_code"]: p for p in result["persistence"]}
            names = selectors.lsoa_names(codes={h["lsoa_code"] for h in hot})
            context.update(
                {
                    "stored": stored,
                    "area": area,
                    "result": result,
                    "summary": summary_sentences(result),
                    "labels": labels,
                    "trends": [
                        {**t, "label": labels.get(t["indicator"], t["indicator"])}
                        for t in result["trends_by_indicator"]
                    ],
                    "hot": [
                        {
                            **h,
                            "name": names.get(h["lsoa_code"], ""),
                            "months_hot": persistence.get(h["lsoa_code"], {}).get("months_hot", 0),
                        }
                        for h in sorted(hot, key=lambda h: -h["z"])
                    ],
                    "markets": _matrix_rows(result["markets_lsoa"], labels),
                    "ocg_markets": _matrix_rows(result["markets_ocg"], {}),
                    "charts": _chart_texts(result),
                    "monthly": [
                        {
                            "month": row["month"],
                            "values": [row.get(k, 0) for k in labels],
                            "all": row.get("all_crime", 0),
                        }
                        for row in result["monthly"]
                    ],
                    "tile_url": settings.ANALYSIS_TILE_URL,
                    "tile_attribution": settings.ANALYSIS_TILE_ATTRIBUTION,
                }
            )
    return render(request, "analysis/analysis.html", context)


def _matrix_rows(matrix: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    names = [labels.get(k, k) for k in matrix["labels"]]
    return {
        "names": names,
        "rows": [(name, row) for name, row in zip(names, matrix["matrix"], strict=True)],
    }


def _chart_texts(result: dict[str, Any]) -> list[dict[str, str]]:
    """Titles and text alternatives of the figures, without drawing them (no geometry
    needed: the map's text depends only on the counts)."""
    from .engine import figures

    return [{"name": c.name, "title": c.title, "alt": c.alt} for c in figures.all_charts(result)]


@login_required
@require_GET
def figure(request: HttpRequest, slug: str, pk: int, name: str, fmt: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    stored = selectors.result_get_for_partnership(partnership=partnership, pk=pk)
    if name not in CHART_NAMES or fmt not in FIGURE_FORMATS:
        raise Http404("No such figure.")
    from .engine import figures

    result = stored.result
    shapes = (
        selectors.geometries(codes={h["lsoa_code"] for h in result["hotspots"]})
        if name == "map"
        else {}
    )
    chart = next((c for c in figures.all_charts(result, shapes) if c.name == name), None)
    if chart is None:
        raise Http404("No such figure.")
    body = chart.render(fmt)
    response = HttpResponse(body, content_type="image/png" if fmt == "png" else "image/svg+xml")
    response["Cache-Control"] = "private, max-age=86400"  # results never change: new data, new id
    response["Content-Disposition"] = (
        f'inline; filename="{name}-{stored.period_start}-{stored.period_end}.{fmt}"'
    )
    return response


@login_required
@require_GET
def hotspots_map_data(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    partnership = _partnership(request, slug)
    stored = selectors.result_get_for_partnership(partnership=partnership, pk=pk)
    from .outputs import hotspots_geojson

    shapes = selectors.geometries(codes={h["lsoa_code"] for h in stored.result["hotspots"]})
    response = JsonResponse(hotspots_geojson(stored.result, shapes))
    response["Cache-Control"] = "private, max-age=86400"
    return response
