"""The GAIN matching engine on fictional records with realistic noise: it finds the same
people across agencies with high precision and recall, keeps the evidence for each pair,
groups records into subjects, and never compares one agency with itself."""

from __future__ import annotations

import random
from typing import Any

import pytest

from socprofiles.gain.engine import KindError, get_kind, kinds, match
from socprofiles.gain.engine.matching import clean_postcode

FIRST = ["john", "jane", "amir", "priya", "tom", "kate", "lee", "sam", "ali", "zoe", "mark",
         "ruth", "owen", "nadia", "chris", "helen"]  # fmt: skip
LAST = ["smith", "jones", "khan", "patel", "brown", "lee", "wilson", "taylor", "hall", "ward",
        "birch", "lang", "rowe", "okafor"]  # fmt: skip


def _swap(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _people_across_agencies(seed: int = 7) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """400 fictional people; each of three agencies holds 200 of them, with typos in first
    names, missing postcodes and the odd wrong day of birth."""
    rng = random.Random(seed)
    people: list[dict[str, str | None]] = [
        {"first_name": rng.choice(FIRST), "surname": rng.choice(LAST),
         "dob": f"19{rng.randint(60, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
         "postcode": f"dh{rng.randint(1, 9)}{rng.randint(1, 9)}{rng.choice('abdefg')}"
                     f"{rng.choice('hjlnpq')}",
         "phone": f"07{rng.randint(100000000, 999999999)}"}
        for _ in range(400)
    ]  # fmt: skip
    records: list[dict[str, Any]] = []
    truth: dict[str, int] = {}
    for agency in ("Police", "Council", "HMRC"):
        for index in rng.sample(range(400), 200):
            record = dict(people[index])
            if rng.random() < 0.3:
                record["first_name"] = _swap(str(record["first_name"]), rng)
            if rng.random() < 0.2:
                record["postcode"] = None
            if rng.random() < 0.5:
                record["phone"] = None
            if rng.random() < 0.1:
                record["dob"] = str(record["dob"])[:8] + f"{rng.randint(1, 28):02d}"
            uid = f"{agency}-{len(records)}"
            records.append({"uid": uid, "agency": agency, **record})
            truth[uid] = index
    return records, truth


def test_people_are_found_across_agencies_with_high_precision_and_recall() -> None:
    records, truth = _people_across_agencies()
    result = match("person", records)
    assert result.agencies == ["Council", "HMRC", "Police"]
    found = {(p.left, p.right) for p in result.pairs if p.probability >= 0.9}
    true_pairs = {
        (a["uid"], b["uid"])
        for a in records for b in records
        if a["agency"] < b["agency"] and truth[a["uid"]] == truth[b["uid"]]
    }  # fmt: skip
    found_either_way = {tuple(sorted(p)) for p in found}
    expected = {tuple(sorted(p)) for p in true_pairs}
    hits = found_either_way & expected
    precision, recall = len(hits) / len(found_either_way), len(hits) / len(expected)
    assert precision >= 0.95, precision
    assert recall >= 0.8, recall
    # Only different agencies are compared.
    assert all(p.left_agency != p.right_agency for p in result.pairs)
    # The evidence: every compared field with its level and its weight, summing to the
    # pair's match weight less the prior.
    best = result.pairs[0]
    assert [c.field for c in best.comparisons] == ["first_name", "surname", "dob", "postcode",
                                                   "phone"]  # fmt: skip
    assert all(isinstance(c.level, str) and c.level for c in best.comparisons)
    surname = next(c for c in best.comparisons if c.field == "surname")
    assert surname.left == surname.right and surname.weight > 0
    assert result.model["link_type"] == "link_only"


def test_subjects_held_by_three_agencies_are_the_candidates_for_joint_work() -> None:
    records, truth = _people_across_agencies()
    result = match("person", records)
    subjects = result.subjects()
    three = [c for c, agencies in subjects.items() if len(agencies) == 3]
    held_by_three = [
        i for i in range(400)
        if len({r["agency"] for r in records if truth[r["uid"]] == i}) == 3
    ]  # fmt: skip
    assert three and abs(len(three) - len(held_by_three)) <= len(held_by_three) * 0.25


def test_vehicles_match_on_a_mistyped_registration() -> None:
    records = [
        {"uid": "p1", "agency": "Police", "vrm": "ND19 XYZ", "make": "Ford", "colour": "Blue"},
        {"uid": "d1", "agency": "DVLA", "vrm": "nd19xyz", "make": "FORD", "colour": "blue"},
        {"uid": "d2", "agency": "DVLA", "vrm": "ND19 XYQ", "make": "Ford", "colour": "Blue"},
        {"uid": "d3", "agency": "DVLA", "vrm": "AB12 CDE", "make": "Audi", "colour": "Red"},
    ]
    result = match("vehicle", records)
    pairs = {(p.left, p.right): p for p in result.pairs}
    exact = pairs.get(("d1", "p1")) or pairs[("p1", "d1")]
    assert exact.comparisons[0].level.startswith("Exact match")
    assert not any("d3" in (p.left, p.right) for p in result.pairs)


def test_one_agency_alone_has_nothing_to_match() -> None:
    result = match("person", [{"uid": "1", "agency": "Police", "surname": "x"}])
    assert result.pairs == [] and "two agencies" in result.notes[0]


def test_kinds_are_data_and_checked() -> None:
    assert set(kinds()) == {"person", "business", "vehicle", "premises"}
    assert get_kind("business").comparisons[1] == ("company_number", "identifier")
    with pytest.raises(KindError, match="not a kind"):
        get_kind("boat")


def test_postcodes_are_normalised() -> None:
    assert clean_postcode("dh1 3le") == "DH1 3LE" == clean_postcode("DH13LE")
    assert clean_postcode("") is None


def test_the_python_scorer_gives_splinks_weights() -> None:
    """Queries and new records are scored in Python with the stored model: the weights
    must be Splink's own, pair for pair."""
    from socprofiles.gain.engine import MatchSettings
    from socprofiles.gain.engine.matching import clean_record
    from socprofiles.gain.engine.scoring import Scorer

    records, _truth = _people_across_agencies()
    kind = get_kind("person")
    result = match("person", records, MatchSettings(threshold=0.0001))
    cleaned = {r["uid"]: clean_record(kind, r) for r in records}
    scorer = Scorer.for_kind(result.model, kind)
    assert len(result.pairs) > 250
    for pair in result.pairs:
        score = scorer.score(cleaned[pair.left], cleaned[pair.right])
        assert abs(score.weight - pair.weight) < 0.002, (pair, score)
        assert [e.level for e in score.evidence] == [c.level for c in pair.comparisons]


@pytest.mark.parametrize("kind", ["name", "exact", "address", "identifier", "postcode", "dob"])
def test_tables_are_cleaned_as_single_records_are(kind: str) -> None:
    """gain_match cleans whole columns at once; the values must be the ones the engine's
    per-record cleaners give (queries and incremental matching use those)."""
    import pandas as pd

    from socprofiles.gain.engine.matching import CLEANERS
    from socprofiles.gain.engine.tabular import clean_column

    rng = random.Random(kind)
    alphabet = "aAbZ 09-/.\t\u00e9\u00df'"
    values = ["", "  ", " DH1  3ab ", "dh13ab", "1980-02-03", "03/02/1980", "19800203",
              "O'Brien  Smith", "NK19 ABC", "ab", "12345"]  # fmt: skip
    values += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
               for _ in range(300)]  # fmt: skip
    series = pd.Series([*values, None], dtype="string")
    expected = [CLEANERS[kind](v) if v is not None else None for v in [*values, None]]
    assert [None if pd.isna(v) else v for v in clean_column(series, kind)] == expected
