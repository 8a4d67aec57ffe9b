"""The MoRiLE engine: the published matrix reproduced exactly, models validated, values
refused off the scale, and properties that hold for every input on the scale."""

from __future__ import annotations

import contextlib
import csv
import io
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from socprofiles.morile.engine import ModelError, ValueNotOnScale, get_model, parse_model

SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seeds" / "004_32c8799e121469b3.txt"
THEMATIC = get_model("thematic")
TACTICAL = get_model("tactical")
FACTORS = [
    "individual", "community", "public_expectation", "environmental", "financial",
    "organisational", "organisational_economic", "frequency", "volume", "confidence",
    "capacity", "capability",
]  # fmt: skip


def _seed_rows() -> list[list[str]]:
    """The twelve rows of the 'MoRiLE Matrix (Illustration only)' table in the seed."""
    if not SEED.exists():
        pytest.skip(f"the seed documents are not at {SEED}")
    text = SEED.read_text(encoding="utf-8")
    table = text[text.index("Thematic Area\tHarm") :]
    rows = [line.split("\t") for line in table.splitlines()[2:] if "\t" in line]
    rows = [r for r in rows if len(r) == 18]
    assert len(rows) == 12
    return rows


def test_the_published_matrix_is_reproduced_exactly_by_morile_score(tmp_path: Path) -> None:
    rows = _seed_rows()
    source = tmp_path / "seed.csv"
    with source.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", *FACTORS])
        for r in rows:
            # name, 7 harm, total harm, frequency, volume, confidence, total likelihood,
            # risk, capacity, capability, total OP, OP grading
            writer.writerow([r[0], *r[1:8], r[9], r[10], r[11], r[14], r[15]])
    out = tmp_path / "scored.csv"
    call_command("morile_score", str(source), "--model", "thematic", "--output", str(out))
    scored = list(csv.DictReader(out.open()))
    assert len(scored) == 12
    for published, ours in zip(rows, scored, strict=True):
        assert ours["name"] == published[0]
        assert float(ours["total_harm"]) == float(published[8]), ours
        assert float(ours["total_likelihood"]) == float(published[12]), ours
        assert float(ours["risk"]) == float(published[13]), ours
        assert float(ours["organisational_position"]) == float(published[16]), ours
        assert float(ours["graded_score"]) == float(published[17]), ours
    header = out.read_text().splitlines()[0].split(",")
    assert header == ["name", *FACTORS, "total_harm", "total_likelihood", "risk",
                      "organisational_position", "graded_score"]  # fmt: skip


def test_a_value_off_the_scale_is_refused_with_its_row_column_and_the_allowed_values(
    tmp_path: Path,
) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(
        "name," + ",".join(FACTORS) + "\n"
        "Burglary,1,1,1,0,1,1,1,2,1,1,0,0\n"
        "Fraud,3,1,1,0,1,1,1,2,1,1,0,0\n"
    )
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("morile_score", str(source), stdout=io.StringIO(), stderr=err)
    assert raised.value.returncode == 1
    assert (
        "row 3, column individual: '3' is not on the scale; allowed: 0, 1, 2, 4, 8"
        in err.getvalue()
    )


def test_missing_columns_and_unknown_models_are_named(tmp_path: Path) -> None:
    source = tmp_path / "short.csv"
    source.write_text("name,individual\nBurglary,1\n")
    with pytest.raises(CommandError, match=r"the columns community, .* are missing"):
        call_command("morile_score", str(source), stdout=io.StringIO())
    with pytest.raises(CommandError, match="There is no MoRiLE model 'strategic'"):
        call_command("morile_score", str(source), "--model", "strategic", stdout=io.StringIO())


def test_the_grading_table_marks_what_is_published_and_what_is_assumed() -> None:
    grading = THEMATIC.grading
    assert {t: grading.points[t] for t in (0, 1, 5, 6)} == {0: 0.6, 1: 0.6, 5: 1.0, 6: 2.0}
    assert grading.assumed() == [2, 3, 4]
    assert "not published" in grading.note


def test_the_tactical_model_scores_people_and_groups() -> None:
    score = TACTICAL.score(
        {
            "physical": 8,
            "psychological": 4,
            "financial": 2,
            "community": 2,
            "environment": 0,
            "geographic_scope": 4,
            "victim_vulnerability": 4,
            "confidence": 2,
        }
    )
    assert score.outputs == {
        "total_harm": 20.0, "vulnerability": 4.0, "risk": 80.0, "confidence_score": 2.0,
        "graded_score": 60.0,
    }  # fmt: skip
    assert score.model == "tactical@1"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": 0}, "version: a whole number from 1"),
        ({"rank_by": "nothing"}, "rank_by: must be one of the outputs"),
        ({"grading": {"points": {0: 0.6}}}, "no multiplier for a total of 1"),
        (
            {"outputs": {"risk": {"product": ["total_harm", "x"]}}},
            "product of two or more outputs defined above",
        ),
        ({"groups": {"harm": {"factors": ["individual", "nope"]}}}, "'nope' is not a factor"),
        ({"colour": "red"}, "unknown keys ['colour']"),
    ],
)
def test_model_mistakes_are_named(change: dict, message: str) -> None:  # type: ignore[type-arg]
    definition = {**THEMATIC.definition, **change}
    with pytest.raises(ModelError) as raised:
        parse_model(definition, where="custom.yaml")
    assert message in str(raised.value)


def test_factor_levels_must_rise() -> None:
    definition = dict(THEMATIC.definition)
    factors = dict(definition["factors"])
    factors["confidence"] = {
        "label": "Confidence",
        "levels": [{"value": 3, "label": "High"}, {"value": 1, "label": "Low"}],
    }
    definition["factors"] = factors
    with pytest.raises(ModelError, match="values must rise"):
        parse_model(definition)


def _on_scale(model):  # type: ignore[no-untyped-def]
    return st.fixed_dictionaries({f.key: st.sampled_from(f.values) for f in model.factors})


@settings(max_examples=300, deadline=None)
@given(values=_on_scale(THEMATIC), data=st.data())
def test_totals_never_fall_when_a_factor_rises(values: dict, data: st.DataObject) -> None:  # type: ignore[type-arg]
    before = THEMATIC.score(values)
    factor = data.draw(st.sampled_from(THEMATIC.factors))
    higher = [v for v in factor.values if v > values[factor.key]]
    if not higher:
        return
    after = THEMATIC.score({**values, factor.key: data.draw(st.sampled_from(higher))})
    for key in (
        "total_harm",
        "total_likelihood",
        "risk",
        "organisational_position",
        "graded_score",
    ):
        assert after.outputs[key] >= before.outputs[key], (factor.key, key)
    group_total = {
        "harm": "total_harm",
        "likelihood": "total_likelihood",
        "position": "organisational_position",
    }
    assert after.outputs[group_total[factor.group]] > before.outputs[group_total[factor.group]]


@settings(max_examples=200, deadline=None)
@given(values=_on_scale(TACTICAL))
def test_no_input_on_the_scale_crashes_the_tactical_model(values: dict) -> None:  # type: ignore[type-arg]
    score = TACTICAL.score(values)
    assert score.outputs["graded_score"] >= 0


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(_on_scale(THEMATIC), min_size=1, max_size=30))
def test_scoring_many_at_once_agrees_with_scoring_one_by_one(rows: list) -> None:  # type: ignore[type-arg]
    table = THEMATIC.score_table({k: [r[k] for r in rows] for k in THEMATIC.factor_keys})
    for index, row in enumerate(rows):
        one = THEMATIC.score(row)
        for key in THEMATIC.output_keys:
            assert np.isclose(table[key][index], one.outputs[key])


@given(value=st.one_of(st.floats(allow_nan=True), st.text(max_size=5), st.integers(-5, 20)))
def test_anything_off_the_scale_is_refused_not_crashed(value: object) -> None:
    values: dict[str, object] = {f.key: f.values[0] for f in THEMATIC.factors}
    values["individual"] = value
    on_scale = False
    with contextlib.suppress(TypeError, ValueError):
        on_scale = float(value) in THEMATIC.factor("individual").values  # type: ignore[arg-type]
    if on_scale:
        THEMATIC.score(values)
        return
    # ValueNotOnScale, or "no value" for an empty cell: a refusal that names the factor.
    with pytest.raises(ValueError, match="individual"):
        THEMATIC.score(values)


def test_score_table_names_the_first_row_off_the_scale() -> None:
    columns = {f.key: [f.values[0]] * 3 for f in THEMATIC.factors}
    columns["volume"] = [1, 2, 2.5]
    with pytest.raises(ValueNotOnScale) as raised:
        THEMATIC.score_table(columns)
    assert raised.value.row == 2  # type: ignore[attr-defined]


def test_ranking_shares_ranks_for_equal_scores() -> None:
    low = THEMATIC.score({f.key: f.values[0] for f in THEMATIC.factors})
    high = THEMATIC.score({f.key: f.values[-1] for f in THEMATIC.factors})
    ranked = THEMATIC.ranked([("a", low), ("b", high), ("c", high)])
    assert [(rank, item) for rank, item, _ in ranked] == [(1, "b"), (1, "c"), (3, "a")]


@pytest.mark.parametrize(
    "bad",
    [3.0, 0.25, -1.0, 64.0, 1e300, float("nan"), float("inf"), 2.0000000000000004],
)
def test_large_tables_are_checked_as_strictly_as_small_ones(bad: float) -> None:
    """From BULK_ROWS rows the compiled check runs; it must refuse what NumPy refuses."""
    from socprofiles.morile.engine.model import BULK_ROWS

    rng = np.random.default_rng(7)
    rows = BULK_ROWS + 5
    columns = {
        f.key: rng.choice(np.asarray(f.values, dtype=float), size=rows) for f in THEMATIC.factors
    }
    whole = THEMATIC.score_table(columns)
    small = THEMATIC.score_table({k: v[:50] for k, v in columns.items()})
    for key in THEMATIC.output_keys:
        assert np.array_equal(whole[key][:50], small[key])
    columns["community"] = columns["community"].copy()
    columns["community"][rows - 3] = bad
    with pytest.raises(ValueNotOnScale, match="community") as raised:
        THEMATIC.score_table(columns)
    assert raised.value.row == rows - 3  # type: ignore[attr-defined]
