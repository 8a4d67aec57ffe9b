"""Cut the demo's shipped data out of the real published files in ../shared/data.

The product must not need ../shared at run time, so the demo ships just what it uses, in
the publishers' own formats (so the real importers read it), gzip-compressed:

- the 11 Durham Constabulary street-crime files of 2022 (January-November), whole;
- the Indices of Deprivation 2019 files 1, 2 and 6, the 2011 Census population look-up and
  the LSOA boundaries, each cut to the 389 LSOAs of County Durham and Darlington.

Run from the project root: python scripts/cut_demo_data.py [path/to/shared/data]
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "socprofiles" / "demo_data"
DEMO_LADS = {"E06000047", "E06000005"}  # County Durham, Darlington: Durham Constabulary's area


def _write_gzip(target: Path, data: bytes) -> None:
    # mtime=0 keeps the output byte-identical from run to run.
    with target.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(data)


def cut_census(shared: Path) -> set[str]:
    """Rows of the Census look-up for the two local authorities, header as published."""
    source = shared / "lookups" / "census_2011_population_hh.csv"
    text = source.read_bytes().decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    kept = [lines[0]]
    codes = set()
    for line in lines[1:]:
        row = next(csv.reader([line]))
        if len(row) > 6 and row[2] in DEMO_LADS:
            kept.append(line)
            codes.add(row[6])
    _write_gzip(DEMO / "census_2011_population_durham.csv.gz", "".join(kept).encode("utf-8"))
    return codes


def cut_deprivation(shared: Path, codes: set[str]) -> None:
    for name in (
        "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz",
        "File_2_-_IoD2019_Domains_of_Deprivation.csv.gz",
        "File_6_-_IoD2019_Population_Denominators.csv.gz",
    ):
        raw = gzip.decompress((shared / "deprivation" / name).read_bytes())
        lines = raw.decode("utf-8-sig").splitlines(keepends=True)
        kept = [lines[0]] + [ln for ln in lines[1:] if ln.split(",", 1)[0] in codes]
        # Keep the BOM the published files carry.
        _write_gzip(
            DEMO / name.replace(".csv.gz", "_durham.csv.gz"),
            ("\ufeff" + "".join(kept)).encode("utf-8"),
        )


def _rounded(coords: list) -> list:
    if coords and isinstance(coords[0], list):
        return [_rounded(c) for c in coords]
    return [round(coords[0], 5), round(coords[1], 5)]


def cut_boundaries(shared: Path, codes: set[str]) -> None:
    data = json.loads((shared / "boundaries" / "lsoa" / "LSOA.geojson").read_text())
    features = []
    for feature in data["features"]:
        props = feature["properties"]
        if props["LSOA11CD"] in codes:
            feature["properties"] = {k: props[k] for k in ("LSOA11CD", "LSOA11NM")}
            feature["geometry"]["coordinates"] = _rounded(feature["geometry"]["coordinates"])
            features.append(feature)
    out = {
        "type": "FeatureCollection",
        "name": data["name"],
        "crs": data["crs"],
        "features": features,
    }
    _write_gzip(
        DEMO / "lsoa_boundaries_durham.geojson.gz", json.dumps(out, separators=(",", ":")).encode()
    )


def copy_street(shared: Path) -> int:
    target = DEMO / "police_uk"
    target.mkdir(exist_ok=True)
    count = 0
    for path in sorted((shared / "police_uk" / "street").glob("2022-*-durham-street.csv")):
        _write_gzip(target / f"{path.name}.gz", path.read_bytes())
        count += 1
    return count


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    DEMO.mkdir(parents=True, exist_ok=True)
    codes = cut_census(shared)
    cut_deprivation(shared, codes)
    cut_boundaries(shared, codes)
    files = copy_street(shared)
    print(f"{len(codes)} LSOAs; {files} street files")
    for path in sorted(DEMO.rglob("*.gz")):
        print(f"  {path.relative_to(DEMO)}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
