"""The segment scoring: every one of the eight segments is reached from real answers, the
cut between each pair of neighbours sits exactly where questions.yaml puts it, and a model
file that breaks the rules is refused with the place it goes wrong. Pure Python: no
database."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from socprofiles.selfassessment.scoring import (
    MODEL_PATH,
    AnswersError,
    ModelError,
    default_model,
    parse_model,
)

MODEL = default_model()
SEGMENTS = [
    "Already protected", "Confident and careful", "Aware but inconsistent",
    "Careful but unaware of new scams", "Over-confident", "Worried but unprotected",
    "Isolated and at risk", "Unaware",
]  # fmt: skip

# Answers by axis, from the questions in questions.yaml.
AWARE = {"heard_advice": "several", "safe_account": "scam", "new_scams": "several"}  # 100
HALF_AWARE = {"heard_advice": "once", "safe_account": "maybe", "new_scams": "some"}  # 55.6
UNAWARE = {"heard_advice": "no", "safe_account": "genuine", "new_scams": "none"}  # 0
CAREFUL = {"check_first": "always", "passwords": "yes", "two_step": "all", "updates": "always"}
PATCHY = {"check_first": "sometimes", "passwords": "partly", "two_step": "some",
          "updates": "sometimes"}  # fmt: skip  # 5/12 = 41.7
CARELESS = {"check_first": "comply", "passwords": "no", "two_step": "no", "updates": "rarely"}
SURE = {"confidence": "very", "worry": "not_worried"}  # 100
UNSURE = {"confidence": "fairly", "worry": "a_little"}  # 66.7
WORRIED = {"confidence": "not_at_all", "worry": "very"}  # 0
SUPPORTED = {"someone_to_ask": "easily", "approached": "rarely"}  # 0
ALONE = {"someone_to_ask": "nobody", "approached": "weekly"}  # 100

# One person in each segment, from their answers.
PEOPLE = {
    "already_protected": {**AWARE, **CAREFUL, **SURE, **SUPPORTED},
    "confident_careful": {**HALF_AWARE, **CAREFUL, **UNSURE, **SUPPORTED},
    "aware_inconsistent": {**AWARE, **PATCHY, **UNSURE, **SUPPORTED},
    "careful_unaware": {**UNAWARE, **CAREFUL, **WORRIED, **ALONE},
    "over_confident": {**HALF_AWARE, **CARELESS, **SURE, **SUPPORTED},
    "worried_unprotected": {**UNAWARE, **CARELESS, **WORRIED, **SUPPORTED},
    "isolated_at_risk": {**AWARE, **PATCHY, **SURE, **ALONE},
    "unaware": {**UNAWARE, **CARELESS, **UNSURE, **SUPPORTED},
}


def test_the_shipped_model_has_eight_segments_from_protected_to_unaware() -> None:
    assert MODEL.id == "fraud_cyber@1"
    assert [s.label for s in MODEL.segments] == SEGMENTS
    assert MODEL.axis_maxima() == {"awareness": 9, "protection": 12, "confidence": 6,
                                   "exposure": 6}  # fmt: skip
    assert all(s.advice and s.summary for s in MODEL.segments)
    assert len(MODEL.questions) == 11


@pytest.mark.parametrize("segment", list(PEOPLE))
def test_every_segment_is_reached_from_real_answers(segment: str) -> None:
    result = MODEL.score(PEOPLE[segment])
    assert result.segment.key == segment, result.axes
    assert result.model == "fraud_cyber@1"


def test_axes_are_shares_of_the_most_points() -> None:
    assert MODEL.axes_for(PEOPLE["already_protected"]) == {
        "awareness": 100.0, "protection": 100.0, "confidence": 100.0, "exposure": 0.0,
    }  # fmt: skip
    axes = MODEL.axes_for({**HALF_AWARE, **PATCHY, **UNSURE, **ALONE})
    assert axes == {"awareness": 55.6, "protection": 41.7, "confidence": 66.7, "exposure": 100.0}


def _axes(awareness: float = 0, protection: float = 0, confidence: float = 50,
          exposure: float = 0) -> dict[str, float]:  # fmt: skip
    return {"awareness": awareness, "protection": protection, "confidence": confidence,
            "exposure": exposure}  # fmt: skip


# (axes, expected segment): each cut at its threshold and just under it.
BOUNDARIES = [
    # Already protected: awareness 70 and protection 75.
    (_axes(70, 75), "already_protected"),
    (_axes(69.9, 75), "confident_careful"),
    (_axes(70, 74.9), "confident_careful"),
    # Confident and careful: awareness 50 and protection 60.
    (_axes(50, 60), "confident_careful"),
    (_axes(49.9, 60), "careful_unaware"),
    (_axes(50, 59.9), "aware_inconsistent"),
    # Careful but unaware: protection 60 whatever else (before isolation and confidence).
    (_axes(0, 60, confidence=100, exposure=100), "careful_unaware"),
    (_axes(0, 59.9, confidence=100, exposure=100), "isolated_at_risk"),
    # Isolated and at risk: exposure 60 (before over-confidence).
    (_axes(0, 0, confidence=100, exposure=60), "isolated_at_risk"),
    (_axes(0, 0, confidence=100, exposure=59.9), "over_confident"),
    # Over-confident: confidence 70.
    (_axes(0, 0, confidence=70), "over_confident"),
    (_axes(0, 0, confidence=69.9), "unaware"),
    # Aware but inconsistent: awareness 50 and protection 30 (before worry).
    (_axes(50, 30, confidence=0), "aware_inconsistent"),
    (_axes(50, 29.9, confidence=0), "worried_unprotected"),
    (_axes(49.9, 30, confidence=0), "worried_unprotected"),
    # Worried but unprotected: confidence at most 40.
    (_axes(0, 0, confidence=40), "worried_unprotected"),
    (_axes(0, 0, confidence=40.1), "unaware"),
    # Unaware: everyone left, down to nothing at all.
    (_axes(0, 0, confidence=55, exposure=0), "unaware"),
    (_axes(49.9, 29.9, confidence=69.9, exposure=59.9), "unaware"),
]


@pytest.mark.parametrize(("axes", "expected"), BOUNDARIES)
def test_segments_are_cut_where_the_model_says(axes: dict[str, float], expected: str) -> None:
    assert MODEL.segment_for(axes).key == expected


def test_every_segment_is_reached_at_a_boundary() -> None:
    assert {expected for _axes, expected in BOUNDARIES} == {s.key for s in MODEL.segments}


def test_answers_must_be_complete_and_known() -> None:
    answers = dict(PEOPLE["unaware"])
    del answers["worry"]
    with pytest.raises(AnswersError, match="worry"):
        MODEL.score(answers)
    with pytest.raises(AnswersError, match="not an answer"):
        MODEL.score({**PEOPLE["unaware"], "worry": "terrified"})


def _raw() -> dict[str, Any]:
    return yaml.safe_load(MODEL_PATH.read_text(encoding="utf-8"))


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(_raw())
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["questions"][0]["answers"][0]["scores"].update(luck=3), "no axis 'luck'"),
        (lambda d: d["questions"][0]["answers"][0]["scores"].update(awareness=-1), "0 or more"),
        (lambda d: d["questions"][0]["answers"][0]["scores"].update(awareness=1.5), "whole"),
        (lambda d: d["questions"].append(copy.deepcopy(d["questions"][0])), "appears twice"),
        (lambda d: d["segments"][0]["when"].update(awareness={"min": 80, "max": 20}),
         "min is more than max"),
        (lambda d: d["segments"][0]["when"].update(awareness={"min": 120}), "0 to 100"),
        (lambda d: d["segments"][0]["when"].update(worry={"min": 10}), "no axis 'worry'"),
        (lambda d: d["evaluation_order"].pop(), "every segment exactly once"),
        (lambda d: d["evaluation_order"].reverse(), "last segment tested must have no"),
        (lambda d: d["segments"][1].pop("when"), "only the last segment"),
        (lambda d: d.update(version=0), "version"),
        (lambda d: d["segments"][2].update(advice=[]), "non-empty list"),
        (lambda d: d["axes"].update(luck={"label": "Luck"}), "no answer gives it any points"),
    ],
)  # fmt: skip
def test_a_broken_model_is_refused_with_where(change: Any, message: str) -> None:
    with pytest.raises(ModelError, match=message):
        parse_model(_broken(change), source="test.yaml")


def test_the_model_is_configurable() -> None:
    """Moving a cut changes who lands where, with no code change."""
    data = _broken(lambda d: d["segments"][0]["when"].update(awareness={"min": 50}))
    data["version"] = 2
    changed = parse_model(data)
    person = PEOPLE["confident_careful"]
    assert changed.id == "fraud_cyber@2"
    assert changed.score(person).segment.key == "already_protected"
    assert MODEL.score(person).segment.key == "confident_careful"
