"""Priority locations: Getis-Ord Gi* hotspots over LSOAs, corrected for the many tests.

Gi* (esda.G_Local with star=True) compares each LSOA's neighbourhood (itself and its
twelve nearest LSOAs) with the whole area. Its pseudo p-values come from conditional
permutations (999 by default): each LSOA keeps its own value while its neighbours' are
drawn at random from all the others. esda computes the statistic and its z-score; the
permutations are done here, in NumPy, because esda's compiled permutation kernel cannot
be cached between processes and costs every new process several seconds to compile
(see ADR 11). Each permutation draws one random set of neighbours shared by all LSOAs, as
esda does, which makes the whole run a few vector operations per permutation.

Testing every LSOA at once would flag about one in twenty by chance, so the p-values
are corrected with the Benjamini-Hochberg false-discovery-rate procedure: an LSOA is a
hotspot (or a cold spot) only if it survives at rate q = 0.05.

Weights are built once per set of boundaries (`build_weights`) and reused for every
indicator and month.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

Q = 0.05
PERMUTATIONS = 999


@dataclass(frozen=True)
class Weights:
    """Binary k-nearest-neighbour weights, the LSOA codes in their order and each LSOA's
    neighbours as an (n, k) index array."""

    codes: tuple[str, ...]
    w: Any  # libpysal.weights.W, binary
    neighbours: np.ndarray

    @property
    def islands(self) -> list[str]:
        return [self.codes[i] for i in self.w.islands] if self.w.islands else []


NEIGHBOURS = 12


def build_weights(geometries: Mapping[str, Any], k: int = NEIGHBOURS) -> Weights:
    """Each LSOA's k nearest LSOAs (by a point inside each, on a local flat projection),
    row-standardised. Nearest neighbours rather than shared borders: LSOAs range from a
    few streets in a town centre to many square miles of moorland, and contiguity leaves
    the town-centre ones with many small neighbours and rural ones with few, so that
    clusters of either hardly reach significance; k nearest gives every LSOA the same
    number of neighbours and leaves none isolated."""
    from libpysal.weights import KNN

    codes = tuple(sorted(geometries))
    if len(codes) < 2:
        raise ValueError("hotspots need at least two LSOAs")
    points = np.array([geometries[c].representative_point().coords[0] for c in codes])
    scale = np.cos(np.radians(points[:, 1].mean()))
    flat = np.column_stack([points[:, 0] * scale, points[:, 1]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = KNN.from_array(flat, k=min(k, len(codes) - 1), ids=list(range(len(codes))))
    neighbours = np.array([w.neighbors[i] for i in range(len(codes))], dtype=np.intp)
    return Weights(codes, w, neighbours)


def benjamini_hochberg(p_values: Sequence[float] | np.ndarray, q: float = Q) -> np.ndarray:
    """Which tests are discoveries at false-discovery rate q (a boolean array)."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return np.zeros(0, dtype=bool)
    order = np.argsort(p, kind="stable")
    ranked = p[order]
    passes = ranked <= q * np.arange(1, m + 1) / m
    discoveries = np.zeros(m, dtype=bool)
    if passes.any():
        last = int(np.flatnonzero(passes)[-1])
        discoveries[order[: last + 1]] = True
    return discoveries


def gi_star(
    values: Mapping[str, float] | pd.Series,
    weights: Weights,
    *,
    permutations: int = PERMUTATIONS,
    q: float = Q,
    seed: int = 2027,
) -> pd.DataFrame:
    """Gi* for each LSOA of the weights: value, z, pseudo p, and class ("hot", "cold" or
    "none") after the false-discovery-rate correction. LSOAs with no value count zero."""
    from esda import G_Local

    y = np.array([float(values.get(code, 0.0)) for code in weights.codes])
    table = pd.DataFrame({"lsoa_code": weights.codes, "value": y})
    if y.size < 3 or np.allclose(y, y[0]):
        table["z"], table["p"], table["class"] = 0.0, 1.0, "none"
        return table
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = G_Local(y, weights.w, transform="R", permutations=0, star=True)
    z = np.asarray(result.Zs, dtype=float)
    p = permutation_p_values(y, weights.neighbours, permutations, seed=seed)
    found = benjamini_hochberg(p, q)
    table["z"] = np.round(z, 3)
    table["p"] = p
    table["class"] = np.where(found & (z > 0), "hot", np.where(found & (z < 0), "cold", "none"))
    return table


def permutation_p_values(
    y: np.ndarray, neighbours: np.ndarray, permutations: int, *, seed: int = 2027
) -> np.ndarray:
    """One-sided pseudo p-values of each observation's neighbourhood sum under conditional
    randomisation: (extreme + 1) / (permutations + 1), where extreme counts the random
    neighbourhoods at least as far out as the observed one, on its side.

    For permutation p, one sorted random set R of k indices into 0..n-2 serves every
    observation i, read as "skip i" (an index r >= i means observation r + 1). With the
    values at R and at R + 1 summed cumulatively, each observation's random sum is two
    look-ups at the number of indices in R below i."""
    n, k = neighbours.shape
    if permutations < 1:
        raise ValueError("at least one permutation is needed")
    observed = y[neighbours].sum(axis=1)
    rng = np.random.default_rng(seed)
    larger = np.zeros(n, dtype=np.int64)
    positions = np.arange(n)
    cum_low = np.empty(k + 1)
    cum_high = np.empty(k + 1)
    cum_low[0] = cum_high[0] = 0.0
    shifted = np.append(y[1:], 0.0)  # value of "index + 1"
    for _ in range(permutations):
        chosen = np.sort(rng.choice(n - 1, size=k, replace=False))
        np.cumsum(y[chosen], out=cum_low[1:])
        np.cumsum(shifted[chosen], out=cum_high[1:])
        below = np.searchsorted(chosen, positions, side="left")  # indices in R below i
        random_sums = cum_low[below] + (cum_high[k] - cum_high[below])
        larger += random_sums >= observed
    low_side = (permutations - larger) < larger
    extreme = np.where(low_side, permutations - larger, larger)
    return (extreme + 1) / (permutations + 1)


def persistence(monthly: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """For each LSOA, in how many of the months it was a hotspot, and which."""
    months = sorted(monthly)
    frames = []
    for month in months:
        hot = monthly[month]
        frames.append(hot.loc[hot["class"] == "hot", ["lsoa_code"]].assign(month=month))
    if not frames or all(f.empty for f in frames):
        return pd.DataFrame(columns=["lsoa_code", "months_hot", "share", "months"])
    joined = pd.concat(frames)
    table = (
        joined.groupby("lsoa_code")["month"]
        .agg(months_hot="count", months=lambda s: ", ".join(sorted(s)))
        .reset_index()
    )
    table["share"] = (table["months_hot"] / len(months)).round(2)
    return table.sort_values(["months_hot", "lsoa_code"], ascending=[False, True])[
        ["lsoa_code", "months_hot", "share", "months"]
    ].reset_index(drop=True)


def with_deprivation(hotspots: pd.DataFrame, deprivation: pd.DataFrame) -> pd.DataFrame:
    """The hotspot table joined to IoD2019 deciles (`imd_decile`, `crime_decile`; 1 is
    the most deprived tenth of England), with `harm_meets_vulnerability` where a hotspot
    lies in the most deprived fifth on either."""
    table = hotspots.merge(deprivation, on="lsoa_code", how="left")
    deprived = (table["imd_decile"] <= 2) | (table["crime_decile"] <= 2)
    table["harm_meets_vulnerability"] = (table["class"] == "hot") & deprived.fillna(False)
    return table


def deprivation_profile(hotspots: pd.DataFrame) -> pd.DataFrame:
    """LSOAs by IoD decile: how many, how many hotspots, and the share that are hot."""
    table = (
        hotspots.assign(hot=hotspots["class"] == "hot")
        .groupby("imd_decile")
        .agg(lsoas=("lsoa_code", "count"), hotspots=("hot", "sum"))
        .reset_index()
    )
    table["hot_share"] = (table["hotspots"] / table["lsoas"]).round(3)
    return table
