"""JSON API for the threat picture: the analysis of a partnership's area and period, and
its hotspots as GeoJSON."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from socprofiles.accounts.selectors import partnership_get_for_user
from socprofiles.core.exceptions import ServiceError

from . import permissions, selectors, services

router = Router(tags=["Threat picture"])


class AnalysisOut(Schema):
    id: int
    area: str
    period_start: str
    period_end: str
    data_version: str
    created_at: str
    result: dict[str, Any]


def _partnership(request: HttpRequest, slug: str) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    partnership = partnership_get_for_user(user=user, slug=slug)
    if not permissions.can_view_analysis(user, partnership):
        raise Http404("No such partnership.")
    return partnership


def _out(stored: Any) -> dict[str, Any]:
    return {
        "id": stored.pk,
        "area": stored.area.code,
        "period_start": stored.period_start,
        "period_end": stored.period_end,
        "data_version": stored.data_version,
        "created_at": stored.created_at.isoformat(),
        "result": stored.result,
    }


@router.get(
    "/partnerships/{slug}/analysis",
    response={200: AnalysisOut, 400: dict},
    summary="The threat picture of an area and period (default: the partnership's area, "
    "the latest three months); cached per data version",
)
def analysis(
    request: HttpRequest, slug: str, area: str = "", start: str = "", end: str = ""
) -> Any:
    partnership = _partnership(request, slug)
    chosen_area = selectors.area_get_for_partnership(
        partnership=partnership, code=area or partnership.area.code
    )
    if start or end:
        period = services.period_from(start, end or start)
    else:
        found = selectors.default_period(partnership=partnership)
        if found is None:
            raise ServiceError("There is no police.uk street crime for this partnership yet.")
        period = found
    stored = services.analysis_run(
        actor=request.auth,  # type: ignore[attr-defined]
        partnership=partnership,
        area=chosen_area,
        period=period,
    )
    return _out(stored)


@router.get(
    "/partnerships/{slug}/analysis/{analysis_id}/hotspots",
    response=dict[str, Any],
    summary="An analysis's LSOAs with their rates and hotspot classes, as GeoJSON",
)
def hotspots(request: HttpRequest, slug: str, analysis_id: int) -> Any:
    partnership = _partnership(request, slug)
    stored = selectors.result_get_for_partnership(partnership=partnership, pk=analysis_id)
    from .outputs import hotspots_geojson

    shapes = selectors.geometries(codes={h["lsoa_code"] for h in stored.result["hotspots"]})
    return hotspots_geojson(stored.result, shapes)
