"""Criminal markets: which threats occur together, across LSOAs and across organised
crime groups, with a short plain-English account of the strongest links."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import combinations

import pandas as pd


def lsoa_cooccurrence(crimes: pd.DataFrame, labels: Mapping[str, str]) -> pd.DataFrame:
    """Spearman correlation between indicators' counts across LSOAs (indicators as rows
    and columns). Crimes need `lsoa_code` and `indicator`."""
    chosen = crimes.dropna(subset=["indicator", "lsoa_code"])
    table = chosen.groupby(["lsoa_code", "indicator"]).size().unstack(fill_value=0)
    for key in labels:
        if key not in table.columns:
            table[key] = 0
    table = table[list(labels)]
    matrix = table.corr(method="spearman").fillna(0.0).round(2)
    return matrix


def ocg_cooccurrence(groups: Iterable[tuple[str, Iterable[str]]]) -> pd.DataFrame:
    """How many groups are active in both of each pair of markets (diagonal: in each).
    `groups` gives each group's reference and its markets; a group listed on several
    rows (one per member) counts once."""
    markets_of: dict[str, set[str]] = {}
    for ref, markets in groups:
        markets_of.setdefault(ref, set()).update(m.strip() for m in markets if m and m.strip())
    names = sorted({m for ms in markets_of.values() for m in ms})
    matrix = pd.DataFrame(0, index=names, columns=names, dtype=int)
    for ms in markets_of.values():
        for m in ms:
            matrix.loc[m, m] += 1
        for a, b in combinations(sorted(ms), 2):
            matrix.loc[a, b] += 1
            matrix.loc[b, a] += 1
    return matrix


def describe_links(
    matrix: pd.DataFrame, *, kind: str, labels: Mapping[str, str] | None = None, top: int = 3
) -> str:
    """A few sentences on the strongest off-diagonal links of a co-occurrence matrix.
    kind: "correlation" (LSOA matrix) or "groups" (OCG matrix)."""
    labels = labels or {}
    pairs = []
    keys = list(matrix.index)
    for a, b in combinations(keys, 2):
        pairs.append((float(matrix.loc[a, b]), a, b))
    pairs = [p for p in pairs if p[0] > 0]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    if not pairs:
        return (
            "No two threats occur together in these data."
            if kind == "groups"
            else "No two indicators rise and fall together across neighbourhoods in these data."
        )
    sentences = []
    for value, a, b in pairs[:top]:
        name_a, name_b = labels.get(a, a), labels.get(b, b)
        if kind == "groups":
            sentences.append(
                f"{int(value)} organised crime group{'s are' if value != 1 else ' is'} active in "
                f"both {name_a} and {name_b}."
            )
        else:
            strength = "strongly" if value >= 0.5 else "moderately" if value >= 0.3 else "weakly"
            sentences.append(
                f"{name_a} and {name_b} are {strength} linked across neighbourhoods "
                f"(Spearman correlation {value:.2f}): where one is high, the other tends to be."
            )
    return " ".join(sentences)
