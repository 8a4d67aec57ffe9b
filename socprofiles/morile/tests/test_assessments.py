"""Assessments end to end, as each persona: scoring alone, consensus, agreement, ranking,
the shortlist and the exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import World
from socprofiles.audit.models import AuditEvent
from socprofiles.core.exceptions import ServiceError
from socprofiles.morile import selectors, services
from socprofiles.morile.models import AgreedScore, Issue, Score, Stage

MODERN_SLAVERY = {
    "individual": 4, "community": 4, "public_expectation": 8, "environmental": 0,
    "financial": 2, "organisational": 4, "organisational_economic": 4,
    "frequency": 0.5, "volume": 3, "confidence": 3, "capacity": 3, "capability": 2,
}  # fmt: skip


def _form(values: dict, rationale: str = "") -> dict:  # type: ignore[type-arg]
    return {**{k: f"{v:g}" for k, v in values.items()}, "rationale": rationale}


def test_two_scorers_score_alone_until_the_consensus_step(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    url = f"/assessments/{world.assessment.pk}/issues/{world.issue.pk}/score/"
    analyst, member = client_for("analyst"), client_for("member")
    assert analyst.post(url, _form(MODERN_SLAVERY, "NRM referrals up")).status_code == 302
    different = {**MODERN_SLAVERY, "public_expectation": 2, "volume": 1}
    assert member.post(url, _form(different)).status_code == 302
    # Each sees only their own score while scoring is open: in pages, the API and on the
    # scoring form.
    mine = analyst.get(f"/assessments/{world.assessment.pk}/score/").content.decode()
    assert "169" in mine  # the analyst's own graded score
    assert (
        client_for("analyst").get(f"/assessments/{world.assessment.pk}/consensus/").status_code
        == 403
    )
    scores = analyst.get(f"/api/assessments/{world.assessment.pk}/scores").json()
    assert len(scores) == 1 and scores[0]["inputs"]["public_expectation"] == 8
    member_scores = member.get(f"/api/assessments/{world.assessment.pk}/scores").json()
    assert len(member_scores) == 1 and member_scores[0]["inputs"]["public_expectation"] == 2
    form = member.get(url).content.decode()
    assert "NRM referrals up" not in form
    # The organisers cannot peek either.
    assert (
        client_for("owner").get(f"/assessments/{world.assessment.pk}/consensus/").status_code == 403
    )
    services.assessment_start_consensus(actor=world.owner, assessment=world.assessment)
    consensus = client_for("member").get(f"/assessments/{world.assessment.pk}/consensus/")
    assert consensus.status_code == 200
    page = consensus.content.decode()
    assert "Disagreement" in page  # public expectation 8 and 2 are two steps apart
    assert AuditEvent.objects.filter(action="assessment.scores_viewed").exists()


def test_a_reader_cannot_score(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    url = f"/assessments/{world.assessment.pk}/issues/{world.issue.pk}/score/"
    assert client_for("reader").post(url, _form(MODERN_SLAVERY)).status_code == 403
    with pytest.raises(ServiceError, match="readers read results and do not score"):
        services.scorer_invite(actor=world.owner, assessment=world.assessment, user=world.reader)
    with pytest.raises(PermissionDenied):
        services.score_submit(actor=world.reader, issue=world.issue, values=MODERN_SLAVERY)
    api = client_for("reader").put(
        f"/api/assessments/{world.assessment.pk}/issues/{world.issue.pk}/score",
        data=json.dumps({"values": MODERN_SLAVERY}),
        content_type="application/json",
    )
    assert api.status_code == 403
    assert not Score.objects.exists()


def test_an_outsider_gets_404_everywhere(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    outsider = client_for("outsider")
    base = f"/assessments/{world.assessment.pk}"
    for url in (
        f"{base}/",
        f"{base}/matrix/",
        f"{base}/consensus/",
        f"{base}/issues/{world.issue.pk}/score/",
    ):
        assert outsider.get(url).status_code == 404, url
    assert (
        outsider.post(f"{base}/issues/{world.issue.pk}/score/", _form(MODERN_SLAVERY)).status_code
        == 404
    )
    assert outsider.get(f"/api/assessments/{world.assessment.pk}").status_code == 404
    assert world.assessment.title.encode() not in outsider.get("/api/assessments").content


def test_a_value_off_the_scale_is_refused_on_the_form(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    url = f"/assessments/{world.assessment.pk}/issues/{world.issue.pk}/score/"
    response = client_for("analyst").post(url, _form({**MODERN_SLAVERY, "individual": 3}))
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    api = client_for("analyst").put(
        f"/api/assessments/{world.assessment.pk}/issues/{world.issue.pk}/score",
        data=json.dumps({"values": {**MODERN_SLAVERY, "volume": 9}}),
        content_type="application/json",
    )
    assert api.status_code == 400
    assert "must be one of 0.5, 1, 2, 3, 4" in api.json()["detail"]


def test_agreeing_ranking_shortlisting_and_closing(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    assessment = world.assessment
    burglary = services.issue_add(
        actor=world.owner, assessment=assessment, name="Dwelling burglary", theme="Acquisitive"
    )
    cse = services.issue_add(
        actor=world.owner, assessment=assessment, name="CSE", theme="Exploitation"
    )
    published = {
        world.issue: MODERN_SLAVERY,
        burglary: {**dict.fromkeys(MODERN_SLAVERY, 1), "environmental": 0, "frequency": 2, "capacity": 0, "capability": 0},
        cse: {"individual": 4, "community": 2, "public_expectation": 8, "environmental": 0, "financial": 0,
              "organisational": 4, "organisational_economic": 4, "frequency": 1, "volume": 0.5,
              "confidence": 3, "capacity": 3, "capability": 3},
    }  # fmt: skip
    for issue, values in published.items():
        services.score_submit(actor=world.analyst, issue=issue, values=values)
    services.assessment_start_consensus(actor=world.owner, assessment=assessment)
    owner = client_for("owner")
    agree_url = f"/assessments/{assessment.pk}/issues/{cse.pk}/agree/"
    form = owner.get(agree_url).content.decode()
    assert (
        'value="8" checked' in form.replace("\n", " ") or "checked" in form
    )  # starts from the medians
    missing = owner.post(agree_url, _form(published[cse], ""))
    assert b"Record why these scores were agreed." in missing.content
    with pytest.raises(ServiceError, match="no agreed score yet"):
        services.assessment_close(actor=world.owner, assessment=assessment)
    for issue, values in published.items():
        response = owner.post(
            f"/assessments/{assessment.pk}/issues/{issue.pk}/agree/",
            _form(values, "Agreed at the meeting"),
        )
        assert response.status_code == 302
    ranked = selectors.ranking(assessment=assessment)
    assert [(r.rank, r.issue.name, r.score.outputs["graded_score"]) for r in ranked] == [
        (1, "CSE", 198.0),
        (2, "Modern slavery", 169.0),
        (3, "Dwelling burglary", 14.4),
    ]
    services.assessment_shortlist(actor=world.owner, assessment=assessment, size=2)
    assert set(Issue.objects.filter(shortlisted=True).values_list("name", flat=True)) == {
        "CSE",
        "Modern slavery",
    }
    services.assessment_shortlist(actor=world.owner, assessment=assessment, threshold=100)
    assert Issue.objects.filter(shortlisted=True).count() == 2
    with pytest.raises(PermissionDenied):
        services.assessment_shortlist(actor=world.member, assessment=assessment, size=1)
    services.assessment_close(actor=world.owner, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.stage == Stage.CLOSED
    agreed = AgreedScore.objects.get(issue=cse)
    assert (agreed.agreed_by, agreed.model_id, agreed.rationale) == (
        world.owner,
        "thematic@1",
        "Agreed at the meeting",
    )
    matrix = client_for("reader").get(f"/assessments/{assessment.pk}/matrix/").content.decode()
    assert matrix.index("CSE") < matrix.index("Modern slavery") < matrix.index("Dwelling burglary")
    assert "Total harm score" in matrix and "Organisational position grading" in matrix
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "assessment.score_agreed",
        "assessment.shortlisted",
        "assessment.stage_changed",
    } <= actions


def test_exports_are_laid_out_like_the_published_matrix_and_formula_safe(
    world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    assessment = world.assessment
    evil = services.issue_add(actor=world.owner, assessment=assessment, name='=HYPERLINK("x")')
    services.score_submit(actor=world.analyst, issue=evil, values=MODERN_SLAVERY)
    services.score_submit(actor=world.analyst, issue=world.issue, values=MODERN_SLAVERY)
    services.assessment_start_consensus(actor=world.owner, assessment=assessment)
    for issue in (evil, world.issue):
        services.score_agree(actor=world.owner, issue=issue, values=MODERN_SLAVERY, rationale="ok")
    text = client_for("member").get(f"/assessments/{assessment.pk}/matrix.csv").content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["OFFICIAL"]
    header = rows[3]
    assert header[:4] == ["Rank", "Issue", "Theme", "Shortlisted"]
    assert header[4:13] == ["Individual", "Community", "Public expectation", "Environmental", "Financial",
                            "Organisational", "Organisational economic", "Total harm score", "Frequency"]  # fmt: skip
    assert header[-6:] == ["Total likelihood score", "Risk", "Capacity", "Capability",
                           "Total organisational position score", "Organisational position grading"]  # fmt: skip
    assert any(row[1].startswith("'=HYPERLINK") for row in rows[4:])
    workbook = openpyxl.load_workbook(
        io.BytesIO(client_for("member").get(f"/assessments/{assessment.pk}/matrix.xlsx").content)
    )
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert 169 in values and not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert AuditEvent.objects.filter(action="assessment.exported").count() == 2


def test_importing_a_long_list_is_all_or_nothing(world: World, client_for, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    owner = client_for("owner")
    url = f"/assessments/{world.assessment.pk}/issues/import/"
    bad = b"Theme,Issue\nCyber,Online fraud\nCyber,\nYouth,Online fraud\n"
    owner.post(url, {"file": SimpleUploadedFile("issues.csv", bad)}, follow=True)
    assert world.assessment.issues.count() == 1  # only the fixture's issue
    workbook = openpyxl.Workbook()
    workbook.active.append(["Theme", "Issue", "Description"])
    for theme, name in [
        ("Cybercrime", "Online grooming"),
        ("Youth", "Knife crime"),
        ("Violence", "Neighbour ASB"),
    ]:
        workbook.active.append([theme, name, ""])
    path = tmp_path / "issues.xlsx"
    workbook.save(path)
    page = owner.post(
        url, {"file": SimpleUploadedFile("issues.xlsx", path.read_bytes())}, follow=True
    )
    assert b"3 issues are added" in page.content
    assert world.assessment.issues.count() == 4
    assert set(world.assessment.themes.values_list("name", flat=True)) >= {
        "Cybercrime",
        "Youth",
        "Violence",
    }
    with pytest.raises(
        ServiceError, match=r"row 3: .* is also on row 2|row 3: the assessment already has"
    ):
        services.issues_import(
            actor=world.owner,
            assessment=world.assessment,
            path=_csv(tmp_path, b"Issue\nA\nA\n"),
            file_name="dup.csv",
        )


def _csv(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "list.csv"
    path.write_bytes(data)
    return path


def test_an_assessment_keeps_its_model_version(world: World) -> None:
    assessment = world.assessment
    assert assessment.model_id == "thematic@1"
    assert selectors.model_of(assessment).grading.points[4] == 0.9
    assessment.model_definition = json.dumps({**assessment.definition, "version": 2})
    assert selectors.model_of(assessment).version == 2  # read from the assessment's own copy


def test_a_stored_model_keeps_its_order_through_the_database(world: World) -> None:
    """Factors and outputs come back in the model's own order on every database (a JSON
    column on PostgreSQL would sort the keys, and outputs are computed in order)."""
    from socprofiles.morile.engine import get_model
    from socprofiles.morile.models import Assessment

    selectors._MODELS.clear()
    stored = Assessment.objects.get(pk=world.assessment.pk)
    model = selectors.model_of(stored)
    shipped = get_model("thematic")
    assert model.factor_keys == shipped.factor_keys
    assert model.output_keys == shipped.output_keys


def test_stages_are_guarded(world: World) -> None:
    with pytest.raises(ServiceError, match="at the stage “Scoring”"):
        services.assessment_open_scoring(actor=world.owner, assessment=world.assessment)
    with pytest.raises(ServiceError, match="Nobody has scored yet"):
        services.assessment_start_consensus(actor=world.owner, assessment=world.assessment)
    with pytest.raises(PermissionDenied):
        services.assessment_start_consensus(actor=world.member, assessment=world.assessment)
    fresh = services.assessment_create(
        actor=world.analyst, partnership=world.partnership, title="Tactical 2027", model="tactical"
    )
    with pytest.raises(ServiceError, match="Add the issues to score first"):
        services.assessment_open_scoring(actor=world.analyst, assessment=fresh)
    with pytest.raises(PermissionDenied):
        services.assessment_create(actor=world.member, partnership=world.partnership, title="x")


def test_the_unpublished_multipliers_are_the_partnerships_to_set(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    draft = services.assessment_create(
        actor=world.analyst, partnership=world.partnership, title="Strategic assessment 2028"
    )
    url = f"/assessments/{draft.pk}/grading/"
    owner, reader, outsider = client_for("owner"), client_for("reader"), client_for("outsider")
    page = reader.get(url)
    assert page.status_code == 200 and "Assumed by the model" in page.content.decode()
    assert "Save the multipliers" not in page.content.decode()
    assert (
        reader.post(url, {"total_2": "0.7", "total_3": "0.75", "total_4": "0.9"}).status_code == 403
    )
    assert outsider.get(url).status_code == 404

    # A bad value is named on the form and changes nothing.
    page = owner.post(url, {"total_2": "0.7", "total_3": "abc", "total_4": "0.9"})
    assert page.status_code == 200
    assert "The multiplier for a total of 3 must be a number" in page.content.decode()
    draft.refresh_from_db()
    assert selectors.model_of(draft).grading.points[2] == 0.8

    assert (
        owner.post(url, {"total_2": "0.7", "total_3": "0.8", "total_4": "0.95"}).status_code == 302
    )
    draft.refresh_from_db()
    model = selectors.model_of(draft)
    assert model.grading.points == {0: 0.6, 1: 0.6, 2: 0.7, 3: 0.8, 4: 0.95, 5: 1.0, 6: 2.0}
    assert model.grading.chosen == frozenset({2, 4})  # 3 kept the model's value
    assert model.grading.source(2) == "chosen" and model.grading.source(3) == "assumed"
    assert "Set by the partnership" in owner.get(url).content.decode()
    event = AuditEvent.objects.filter(action="assessment.grading_set").latest("seq")
    assert event.detail["before"]["2"] == 0.8 and event.detail["after"]["2"] == 0.7
    # The other assessments and the shipped model are untouched.
    assert selectors.model_of(world.assessment).grading.points[2] == 0.8

    # Published points cannot change; nothing can change once scoring has started.
    with pytest.raises(ServiceError, match="only those for 2, 3, 4 are not published"):
        services.assessment_grading_set(actor=world.owner, assessment=draft, points={5: 1.5})
    with pytest.raises(ServiceError, match="above 0 and at most 10"):
        services.assessment_grading_set(actor=world.owner, assessment=draft, points={2: -1})
    with pytest.raises(ServiceError, match="at the stage “Scoring”"):
        services.assessment_grading_set(
            actor=world.owner, assessment=world.assessment, points={2: 0.7}
        )


def test_the_grading_api(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    draft = services.assessment_create(
        actor=world.analyst, partnership=world.partnership, title="Strategic assessment 2028"
    )
    owner, member = client_for("owner"), client_for("member")
    url = f"/api/assessments/{draft.pk}/grading"
    got = owner.get(url).json()
    assert got["published"] == [0, 1, 5, 6] and got["assumed"] == [2, 3, 4]
    put = owner.put(url, {"points": {"2": 0.7}}, content_type="application/json")
    assert put.status_code == 200 and put.json()["chosen"] == [2]
    assert put.json()["points"]["2"] == 0.7
    refused = member.put(url, {"points": {"2": 0.5}}, content_type="application/json")
    assert refused.status_code == 403
    bad = owner.put(url, {"points": {"6": 3}}, content_type="application/json")
    assert bad.status_code == 400 and "not published" in json.dumps(bad.json())
    assert client_for("outsider").get(url).status_code == 404
