"""Counts, rates and trends for an area and a period.

Crimes come as a DataFrame with the columns `month` ("YYYY-MM"), `lsoa_code` and
`crime_type`. Periods are whole months, inclusive. A change between two periods of the
same length is tested exactly: given the total of both counts, the current count is
binomial with p = 1/2 if nothing changed (the conditional test for two Poisson counts).
A change is reported as a rise or a fall only when that test rejects "no change" at the
5% level; otherwise it is "no significant change", whatever the percentage says.
"""

from __future__ import annotations

import pandas as pd

from .indicators import Indicator, default_indicators
from .period import Period, PeriodError

__all__ = ["Period", "PeriodError"]  # re-exported: periods belong with the statistics

ALPHA = 0.05


def with_indicators(
    crimes: pd.DataFrame, indicators: dict[str, Indicator] | None = None
) -> pd.DataFrame:
    """The crimes with an `indicator` column (None where the category is no indicator)."""
    indicators = indicators or default_indicators()
    lookup = {t: key for key, ind in indicators.items() for t in ind.crime_types}
    out = crimes.copy()
    out["indicator"] = out["crime_type"].map(lookup)
    return out


def in_period(crimes: pd.DataFrame, period: Period) -> pd.DataFrame:
    return crimes[(crimes["month"] >= period.start) & (crimes["month"] <= period.end)]


def counts_and_rates(
    crimes: pd.DataFrame, population: int, period: Period, by: str = "crime_type"
) -> pd.DataFrame:
    """Count and rate per 1,000 residents for each value of `by` in the period, with a
    total row; sorted by count, highest first."""
    if population <= 0:
        raise ValueError("the area's population must be above zero to give rates")
    chosen = in_period(crimes, period)
    table = chosen.groupby(by).size().rename("count").sort_values(ascending=False).reset_index()
    table = pd.concat(
        [table, pd.DataFrame({by: ["All"], "count": [len(chosen)]})], ignore_index=True
    )
    table["rate_per_1000"] = (table["count"] * 1000 / population).round(2)
    return table


def change_test(current: int, before: int) -> float:
    """Two-sided p-value that two equal-length periods' counts differ only by chance."""
    from scipy.stats import binomtest

    total = current + before
    if total == 0:
        return 1.0
    return float(binomtest(current, total, 0.5).pvalue)


def trends(
    crimes: pd.DataFrame, period: Period, available: set[str], by: str = "crime_type"
) -> pd.DataFrame:
    """For each value of `by`: counts in the period, the previous period of the same length
    and the same months a year before; each change with its p-value and a verdict.
    A comparison whose months are not all in `available` is left out (None), never
    treated as zero."""
    periods = {
        "current": period,
        "previous": period.previous(),
        "year_before": period.year_before(),
    }
    covered = {name: set(p.months) <= available for name, p in periods.items()}
    keys = sorted(set(in_period(crimes, period)[by].dropna()))
    rows = []
    counted = {
        name: in_period(crimes, p).groupby(by).size() if covered[name] else None
        for name, p in periods.items()
    }
    for key in keys:
        now = int(counted["current"].get(key, 0))  # type: ignore[union-attr]
        row: dict[str, object] = {by: key, "current": now}
        for name in ("previous", "year_before"):
            series = counted[name]
            if series is None:
                row.update(
                    {name: None, f"{name}_change_pct": None, f"{name}_p": None,
                     f"{name}_verdict": "no data"}
                )  # fmt: skip
                continue
            before = int(series.get(key, 0))
            p_value = change_test(now, before)
            change = None if before == 0 else round((now - before) * 100 / before, 1)
            verdict = "no significant change"
            if p_value < ALPHA:
                verdict = "rise" if now > before else "fall"
            row.update(
                {name: before, f"{name}_change_pct": change, f"{name}_p": round(p_value, 4),
                 f"{name}_verdict": verdict}
            )  # fmt: skip
        rows.append(row)
    return pd.DataFrame(rows)
