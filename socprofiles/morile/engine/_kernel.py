"""A compiled check that every value in a column is on its factor's scale.

Checking is most of the cost of scoring many issues: NumPy would need several passes over
each column (scale, cast, compare, look up), where this is one pass of a few comparisons
per value, compiled by Numba and cached on disk after the first use. Imported only for
large tables (see model.BULK_ROWS), so the web app never pays the import.

A scale is encoded as (multiplier, bit mask): the values times the multiplier are whole
numbers from 0 to 62, and bit k of the mask is set when k / multiplier is allowed.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def count_off_scale(values: np.ndarray, multiplier: float, mask: int) -> int:  # pragma: no cover
    off = 0
    for i in range(values.shape[0]):
        scaled = values[i] * multiplier
        inside = (scaled >= 0.0) & (scaled <= 62.0)  # NaN is never inside
        code = numba.int64(scaled) if inside else 63
        off += not (inside & (scaled == code) & (((mask >> code) & 1) == 1))
    return off
