"""Boundary files in any coordinate system, brought to WGS84 longitude/latitude.

GeoJSON and GeoPackage are read with pyogrio (GDAL inside its wheel, nothing to install),
reprojected with pyproj and checked with shapely. Publishers rename columns freely, so the
code and name columns are found by what they hold, unless the caller names them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from .errors import ImportRefused

_CODE = {
    "lsoa": re.compile(r"^[EW]01\d{6}$"),
    "ward": re.compile(r"^[EWSN]05\d{6}$"),
    "local_authority": re.compile(r"^[EWSN]0[6-9]\d{6}$"),
}
_ANY_CODE = re.compile(r"^[EWSNK]\d{8}$")
_NAME_HINT = re.compile(r"(name|nm$|nm\d|district|ward|borough|^la)", re.IGNORECASE)


@dataclass(frozen=True)
class Feature:
    code: str
    name: str
    geometry: Any  # shapely geometry in WGS84


def read_boundaries(
    path: Path,
    *,
    kind: str,
    file_name: str,
    code_field: str | None = None,
    name_field: str | None = None,
    layer: str | None = None,
) -> tuple[list[Feature], dict[str, Any]]:
    import pyogrio
    from pyogrio.errors import DataSourceError

    with path.open("rb") as handle:
        magic = handle.read(16)
    if magic.startswith(b"\x1f\x8b"):
        path = _gunzip_checked(path, file_name)
    elif not (magic.startswith(b"SQLite format 3") or magic.lstrip()[:1] in (b"{", b"[")):
        raise ImportRefused(f"{file_name}: this is not a GeoJSON or GeoPackage boundary file.")
    try:
        meta, _fids, geometries, field_data = pyogrio.raw.read(str(path), layer=layer)
    except DataSourceError as error:
        raise ImportRefused(
            f"{file_name}: this is not a boundary file GeoJSON or GeoPackage can be read "
            f"from ({str(error).splitlines()[0][:200]})."
        ) from None
    fields = [str(f) for f in meta["fields"]]
    columns = {name: np.asarray(values) for name, values in zip(fields, field_data, strict=True)}
    if len(geometries) == 0:
        raise ImportRefused(f"{file_name}: the file holds no features.")
    code_name = code_field or _find_code_field(columns, kind)
    if code_name is None or code_name not in columns:
        raise ImportRefused(
            f"{file_name}: no column holds {kind.replace('_', ' ')} codes "
            f"(like {_example(kind)}). Its columns are: {', '.join(fields)}. "
            "Name the right one with --code-field."
        )
    name_name = name_field or _find_name_field(columns, code_name)
    shapes = shapely.from_wkb(geometries)
    crs = meta.get("crs") or ""
    if crs and crs.upper() not in {"EPSG:4326", "OGC:CRS84"}:
        from pyproj import CRS, Transformer

        try:
            source_crs = CRS.from_user_input(crs)
        except Exception:  # pyproj raises its own CRSError for unknown systems
            raise ImportRefused(
                f"{file_name}: its coordinate system {crs!r} is not known."
            ) from None
        transformer = Transformer.from_crs(source_crs, "EPSG:4326", always_xy=True)

        def to_wgs84(coords: np.ndarray) -> np.ndarray:
            x, y = transformer.transform(coords[:, 0], coords[:, 1])
            return np.column_stack([x, y])

        shapes = shapely.transform(shapes, to_wgs84)
    elif not crs:
        bounds = shapely.total_bounds(shapes)
        if not (-180 <= bounds[0] <= 180 and -90 <= bounds[1] <= 90 and -180 <= bounds[2] <= 180):
            raise ImportRefused(
                f"{file_name}: the file does not say its coordinate system and its coordinates "
                "are not longitude and latitude."
            )
    invalid = ~shapely.is_valid(shapes)
    if invalid.any():
        shapes[invalid] = shapely.make_valid(shapes[invalid])
    pattern = _CODE[kind]
    features = []
    bad = []
    for index, (code, geometry) in enumerate(zip(columns[code_name], shapes, strict=True)):
        text = str(code).strip().upper()
        if not pattern.match(text):
            bad.append((index + 1, text))
            continue
        if geometry is None or geometry.is_empty:
            bad.append((index + 1, f"{text} (no geometry)"))
            continue
        name = str(columns[name_name][index]).strip() if name_name else ""
        features.append(Feature(text, name, geometry))
    if bad:
        shown = ", ".join(f"feature {n}: {v!r}" for n, v in bad[:10])
        raise ImportRefused(
            f"{file_name}: {len(bad)} feature(s) have no valid {kind.replace('_', ' ')} code "
            f"in column {code_name!r} ({shown}), so nothing was imported."
        )
    return features, {"crs": crs or "EPSG:4326", "code_field": code_name, "name_field": name_name}


def _gunzip_checked(path: Path, file_name: str) -> Path:
    """A gzip-compressed GeoJSON, expanded next to itself within the size limits."""
    import gzip
    import tempfile

    from .sources import Limits

    limits = Limits.from_settings()
    size = path.stat().st_size
    target = Path(tempfile.mkdtemp(prefix="socp-geo-")) / (path.name.removesuffix(".gz") or "file")
    total = 0
    try:
        with gzip.open(path, "rb") as source, target.open("wb") as out:
            while chunk := source.read(1 << 20):
                total += len(chunk)
                if total > limits.max_uncompressed_bytes or total > size * limits.max_ratio:
                    raise ImportRefused(
                        f"{file_name}: the compressed file expands far beyond its size: refused "
                        "as a possible decompression bomb."
                    )
                out.write(chunk)
    except (OSError, EOFError) as error:
        raise ImportRefused(f"{file_name}: the compressed file is damaged ({error}).") from None
    return target


def _example(kind: str) -> str:
    return {"lsoa": "E01020634", "ward": "E05001067", "local_authority": "E06000047"}[kind]


def _find_code_field(columns: dict[str, np.ndarray], kind: str) -> str | None:
    pattern = _CODE[kind]
    for name, values in columns.items():
        texts = [str(v).strip().upper() for v in values[:200]]
        if texts and all(pattern.match(t) for t in texts):
            return name
    return None


def _find_name_field(columns: dict[str, np.ndarray], code_name: str) -> str | None:
    candidates = []
    for name, values in columns.items():
        if name == code_name or values.dtype.kind not in "OU":
            continue
        texts = [str(v) for v in values[:50]]
        if any(_ANY_CODE.match(t.strip()) for t in texts):
            continue
        candidates.append(name)
    hinted = [c for c in candidates if _NAME_HINT.search(c)]
    if hinted:
        return hinted[0]
    return candidates[0] if candidates else None


def locate_points(
    lons: np.ndarray, lats: np.ndarray, polygons: list[Any], codes: list[str]
) -> list[str | None]:
    """The code of the polygon each point falls in (None outside them all)."""
    if not polygons:
        return [None] * len(lons)
    tree = shapely.STRtree(polygons)
    points = shapely.points(lons, lats)
    valid = ~(np.isnan(lons) | np.isnan(lats))
    result: list[str | None] = [None] * len(lons)
    point_index, polygon_index = tree.query(points[valid], predicate="within")
    positions = np.flatnonzero(valid)
    for p, g in zip(point_index, polygon_index, strict=True):
        index = positions[p]
        if result[index] is None:
            result[index] = codes[g]
    return result
