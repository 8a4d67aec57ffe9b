"""The analysis engine: counts and rates against an independent computation on the real
Durham files, exact trend tests, Gi* on a synthetic grid, and co-occurrence."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from socprofiles.analysis.engine.hotspots import (
    benjamini_hochberg,
    build_weights,
    gi_star,
    persistence,
)
from socprofiles.analysis.engine.indicators import (
    IndicatorError,
    default_indicators,
    parse_indicators,
)
from socprofiles.analysis.engine.markets import describe_links, lsoa_cooccurrence, ocg_cooccurrence
from socprofiles.analysis.engine.stats import (
    Period,
    PeriodError,
    change_test,
    counts_and_rates,
    trends,
    with_indicators,
)

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"


def _durham() -> pd.DataFrame:
    files = sorted(SHARED.glob("police_uk/**/2022-*-durham-street.csv"))
    if not files:
        pytest.skip(f"the shared police.uk files are not under {SHARED}")
    rows = []
    for path in files:  # read with the csv module, not pandas: an independent reading
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for record in csv.DictReader(handle):
                rows.append(
                    {
                        "month": record["Month"],
                        "lsoa_code": record["LSOA code"] or None,
                        "crime_type": record["Crime type"],
                    }
                )
    return pd.DataFrame(rows)


def test_counts_and_rates_match_an_independent_count_of_the_real_files() -> None:
    crimes = _durham()
    period = Period("2022-03", "2022-05")
    population = 650_000
    table = counts_and_rates(crimes, population, period).set_index("crime_type")
    by_hand: dict[str, int] = {}
    for month, crime_type in zip(crimes["month"], crimes["crime_type"], strict=True):
        if "2022-03" <= month <= "2022-05":
            by_hand[crime_type] = by_hand.get(crime_type, 0) + 1
    for crime_type, count in by_hand.items():
        assert table.loc[crime_type, "count"] == count
        assert table.loc[crime_type, "rate_per_1000"] == round(count * 1000 / population, 2)
    assert table.loc["All", "count"] == sum(by_hand.values())
    indicators = counts_and_rates(with_indicators(crimes), population, period, by="indicator")
    drugs = indicators.set_index("indicator").loc["drugs", "count"]
    assert drugs == by_hand.get("Drugs", 0)


def test_a_change_is_reported_only_when_it_is_unlikely_to_be_noise() -> None:
    assert change_test(100, 100) == 1.0
    assert change_test(12, 8) > 0.05  # a 50% "rise" on small numbers is noise
    assert change_test(300, 200) < 0.001
    rows = [{"month": "2022-02", "lsoa_code": "A", "crime_type": "Drugs"}] * 300
    rows += [{"month": "2022-01", "lsoa_code": "A", "crime_type": "Drugs"}] * 200
    rows += [{"month": "2022-02", "lsoa_code": "A", "crime_type": "Burglary"}] * 12
    rows += [{"month": "2022-01", "lsoa_code": "A", "crime_type": "Burglary"}] * 8
    table = trends(pd.DataFrame(rows), Period("2022-02", "2022-02"), {"2022-01", "2022-02"})
    table = table.set_index("crime_type")
    assert table.loc["Drugs", "previous_verdict"] == "rise"
    assert table.loc["Burglary", "previous_verdict"] == "no significant change"
    assert table.loc["Burglary", "previous_change_pct"] == 50.0
    assert table.loc["Drugs", "year_before_verdict"] == "no data"  # 2021-02 was not loaded


def test_periods_are_checked() -> None:
    with pytest.raises(PeriodError, match="2022-13"):
        Period("2022-13", "2022-14")
    with pytest.raises(PeriodError, match="after it ends"):
        Period("2022-05", "2022-01")
    assert Period("2022-01", "2022-03").previous() == Period("2021-10", "2021-12")
    assert Period("2022-01", "2022-03").year_before() == Period("2021-01", "2021-03")


def _grid(size: int) -> dict[str, object]:
    return {f"G{r:02d}{c:02d}": box(c, r, c + 1, r + 1) for r in range(size) for c in range(size)}


def test_gi_star_finds_a_planted_cluster_and_nothing_in_noise() -> None:
    weights = build_weights(_grid(20))
    rng = np.random.default_rng(11)
    values = {code: float(rng.poisson(5)) for code in weights.codes}
    uniform = gi_star(values, weights)
    assert (uniform["class"] == "none").all()

    planted = {f"G{r:02d}{c:02d}" for r in range(8, 12) for c in range(8, 12)}
    for code in planted:
        values[code] = float(rng.poisson(40))
    found = gi_star(values, weights)
    hot = set(found.loc[found["class"] == "hot", "lsoa_code"])
    assert hot, "the planted cluster was not found"
    assert len(hot & planted) >= 12
    assert hot <= planted | {  # at most its immediate neighbours besides
        f"G{r:02d}{c:02d}" for r in range(7, 13) for c in range(7, 13)
    }


def test_benjamini_hochberg() -> None:
    p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216]
    assert benjamini_hochberg(p, 0.05).tolist() == [True, True] + [False] * 8
    assert not benjamini_hochberg([0.5, 0.9]).any()


def test_persistence_counts_the_months_an_lsoa_is_hot() -> None:
    month = lambda hot: pd.DataFrame({"lsoa_code": ["A", "B"], "class": hot})  # noqa: E731
    table = persistence({"2022-01": month(["hot", "none"]), "2022-02": month(["hot", "hot"])})
    assert table.to_dict("records") == [
        {"lsoa_code": "A", "months_hot": 2, "share": 1.0, "months": "2022-01, 2022-02"},
        {"lsoa_code": "B", "months_hot": 1, "share": 0.5, "months": "2022-02"},
    ]


def test_markets_co_occur_across_lsoas_and_groups() -> None:
    rows = []
    for i in range(20):
        rows += [{"lsoa_code": f"L{i}", "indicator": "drugs"}] * i
        rows += [{"lsoa_code": f"L{i}", "indicator": "weapons"}] * (i // 2)
        rows += [{"lsoa_code": f"L{i}", "indicator": "organised_acquisitive"}] * ((i * 7) % 5)
    labels = {k: v.label for k, v in default_indicators().items()}
    matrix = lsoa_cooccurrence(pd.DataFrame(rows), labels)
    assert matrix.loc["drugs", "weapons"] > 0.9
    text = describe_links(matrix, kind="correlation", labels=labels)
    assert text.startswith("Drugs supply and possession (indicator) and Possession of weapons")
    groups = ocg_cooccurrence(
        [
            ("G1", ["Drugs", "Firearms"]),
            ("G1", ["Drugs"]),
            ("G2", ["Drugs", "Firearms"]),
            ("G3", ["Modern slavery"]),
        ]
    )
    assert groups.loc["Drugs", "Firearms"] == 2 and groups.loc["Drugs", "Drugs"] == 2
    assert describe_links(groups, kind="groups").startswith(
        "2 organised crime groups are active in both Drugs and Firearms."
    )


def test_the_indicator_mapping_is_checked_and_labels_proxies() -> None:
    indicators = default_indicators()
    assert all("indicator" in i.label for i in indicators.values())
    with pytest.raises(IndicatorError, match="already in"):
        parse_indicators(
            {
                "indicators": {
                    "a": {"label": "A (indicator)", "crime_types": ["Drugs"]},
                    "b": {"label": "B (indicator)", "crime_types": ["Drugs"]},
                }
            }
        )
    with pytest.raises(IndicatorError, match="must say it is an indicator"):
        parse_indicators({"indicators": {"a": {"label": "Drugs", "crime_types": ["Drugs"]}}})


@pytest.mark.database_independent
def test_our_permutations_agree_with_esdas() -> None:
    """The permutation p-values computed here match esda's own (up to the randomness of
    999 permutations), and the statistic is esda's Gi* with self-weight."""
    import warnings

    from esda import G_Local

    from socprofiles.analysis.engine.hotspots import permutation_p_values

    weights = build_weights(_grid(20))
    rng = np.random.default_rng(3)
    y = rng.poisson(5, 400).astype(float)
    y[:40] += rng.poisson(6, 40)
    ours = permutation_p_values(y, weights.neighbours, 999, seed=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = G_Local(y, weights.w, transform="R", permutations=999, star=True, n_jobs=1, seed=5)
    assert np.abs(ours - theirs.p_sim).mean() < 0.03
    assert np.corrcoef(ours, theirs.p_sim)[0, 1] > 0.97
    k = weights.neighbours.shape[1]
    assert np.allclose((y + y[weights.neighbours].sum(axis=1)) / ((k + 1) * y.sum()), theirs.Gs)
