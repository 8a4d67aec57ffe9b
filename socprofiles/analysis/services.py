"""Running the analysis for a partnership's area and period, cached per data version."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from socprofiles.accounts.models import Area, Partnership
from socprofiles.audit.services import audit_log
from socprofiles.core.exceptions import ServiceError

from . import selectors
from .engine.period import Period, PeriodError
from .models import AnalysisResult


def period_from(start: str, end: str) -> Period:
    try:
        return Period(start, end)
    except PeriodError as error:
        raise ServiceError(f"Check the period: {error}.", field="period") from None


def analysis_run(
    *, actor: Any, partnership: Partnership, area: Area, period: Period
) -> AnalysisResult:
    """The result for this data version: cached if it exists, computed and stored if not."""
    version = selectors.data_version(partnership=partnership)
    cached = selectors.cached_result(
        partnership=partnership, area=area, period=period, version=version
    )
    if cached is not None:
        return cached
    months = set(selectors.available_months(partnership=partnership))
    missing = [m for m in period.months if m not in months]
    if not months:
        raise ServiceError("There is no police.uk street crime for this partnership yet.")
    if missing:
        raise ServiceError(
            f"There is no street crime for {', '.join(missing)}: the data covers "
            f"{min(months)} to {max(months)}.",
            field="period",
        )
    inputs = selectors.analysis_inputs(partnership=partnership, area=area, period=period)
    if not inputs.population:
        raise ServiceError(
            "There is no 2011 Census population for this area's LSOAs: import it first "
            "(reference data) so that rates can be given."
        )
    from .engine import report  # pandas, SciPy and PySAL: only when computing

    result = report.analyse(inputs, period)
    try:
        with transaction.atomic():
            stored = AnalysisResult.objects.create(
                partnership=partnership,
                area=area,
                period_start=period.start,
                period_end=period.end,
                data_version=version,
                result=result,
                seconds=result["seconds"],
            )
            audit_log(
                actor=actor,
                action="analysis.run",
                target=stored,
                partnership=partnership,
                detail={"area": area.code, "period": str(period), "data_version": version[:12]},
            )
    except IntegrityError:  # computed at the same time by another request: use theirs
        found = selectors.cached_result(
            partnership=partnership, area=area, period=period, version=version
        )
        if found is None:  # pragma: no cover
            raise
        return found
    return stored
