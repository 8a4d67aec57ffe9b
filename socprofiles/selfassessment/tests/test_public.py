"""The public self-assessment from start to advice, as a member of the public does it with
plain forms (no JavaScript): what it writes to the database (one aggregate row, nothing
else), what it writes to the logs (not the answers, not the postcode district), and how it
refuses automated submissions without tracking anyone."""

from __future__ import annotations

import datetime as dt
import logging
import re
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from socprofiles.selfassessment import state
from socprofiles.selfassessment.models import Result
from socprofiles.selfassessment.scoring import default_model

from .test_scoring import PEOPLE

pytestmark = pytest.mark.django_db

MODEL = default_model()
INSTANT = override_settings(SELF_ASSESSMENT_MIN_SECONDS=0)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()  # the per-minute counter


def _row_counts() -> dict[str, int]:
    """Rows in every table the project has (every model, their many-to-many tables and
    the session table)."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        counts[model._meta.db_table] = model._default_manager.count()
    return counts


def _cookie_state(client: Client) -> state.State:
    """What the respondent's browser holds, read as the views read it."""
    request = SimpleNamespace(COOKIES={k: v.value for k, v in client.cookies.items()})
    return state.read(request, model=MODEL.id)  # type: ignore[arg-type]


def answer_all(client: Client, answers: dict[str, str], district: str = "DH7") -> Any:
    """Start, answer each question on its own page, give the district, check, submit."""
    response = client.post(reverse("selfassessment:start"))
    assert response.status_code == 302
    for question in MODEL.questions:
        url = reverse("selfassessment:question", kwargs={"key": question.key})
        page = client.get(url)
        assert page.status_code == 200
        assert question.text in page.content.decode()
        response = client.post(url, {"answer": answers[question.key]})
        assert response.status_code == 302, question.key
    response = client.post(reverse("selfassessment:area"), {"district": district})
    assert response.status_code == 302
    assert response["Location"] == reverse("selfassessment:check")
    check = client.get(reverse("selfassessment:check"))
    assert check.status_code == 200
    return client.post(reverse("selfassessment:check"), {"website": ""})


@INSTANT
def test_a_full_run_keeps_one_aggregate_row_and_nothing_else(caplog: Any) -> None:
    client = Client()
    before = _row_counts()
    with caplog.at_level(logging.DEBUG):
        response = answer_all(client, PEOPLE["isolated_at_risk"], district=" dh7 ")
        assert response.status_code == 302
        advice = client.get(response["Location"])
    assert advice.status_code == 200
    body = advice.content.decode()
    assert "Isolated and at risk" in body
    assert MODEL.segment("isolated_at_risk").advice[0] in body  # type: ignore[union-attr]
    assert "Stop: take a moment" in body

    # The database gained one row, in one table: the aggregate.
    after = _row_counts()
    changed = {
        table: after[table] - before[table] for table in after if after[table] != before[table]
    }
    assert changed == {Result._meta.db_table: 1}
    assert Session.objects.count() == 0
    row = Result.objects.get()
    assert {f.name for f in Result._meta.get_fields()} == {
        "id", "segment", "model", "postcode_district", "completed_on",
    }  # fmt: skip
    assert (row.segment, row.model, row.postcode_district) == ("isolated_at_risk",
                                                               "fraud_cyber@1", "DH7")  # fmt: skip
    assert type(row.completed_on) is dt.date and row.completed_on == timezone.localdate()
    stored = " ".join(str(v) for v in Result.objects.values_list(
        "id", "segment", "model", "postcode_district", "completed_on").get())  # fmt: skip
    for leak in ("127.0.0.1", "Mozilla", client.cookies[state.COOKIE].value[:20]):
        assert leak not in stored
    assert re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]?", row.postcode_district)  # a district, no more

    # Nothing logged names the answers or the district.
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for question in MODEL.questions:
        chosen = question.answer(PEOPLE["isolated_at_risk"][question.key])
        assert chosen is not None and chosen.label not in logged
    assert "DH7" not in logged.upper()

    # The answers are cleared from the browser's cookie; only the result is kept there.
    left = _cookie_state(client)
    assert left.answers == {} and left.district is None and left.result == "isolated_at_risk"


@INSTANT
def test_no_district_is_fine_and_stored_as_blank() -> None:
    answer_all(Client(), PEOPLE["unaware"], district="")
    assert Result.objects.get().postcode_district == ""


@INSTANT
def test_a_full_postcode_is_refused_and_never_kept(caplog: Any) -> None:
    client = Client()
    client.post(reverse("selfassessment:start"))
    for question in MODEL.questions:
        client.post(reverse("selfassessment:question", kwargs={"key": question.key}),
                    {"answer": PEOPLE["unaware"][question.key]})  # fmt: skip
    with caplog.at_level(logging.DEBUG):
        page = client.post(reverse("selfassessment:area"), {"district": "DH1 3LE"})
    assert page.status_code == 200
    assert "Enter only the first part of your postcode" in page.content.decode()
    assert "3LE" not in client.cookies[state.COOKIE].value
    assert _cookie_state(client).district is None
    assert "3LE" not in "\n".join(r.getMessage() for r in caplog.records)
    bad = client.post(reverse("selfassessment:area"), {"district": "Durham"})
    assert "Enter the first part of a postcode" in bad.content.decode()
    assert Result.objects.count() == 0


def test_questions_come_one_at_a_time_in_order() -> None:
    client = Client()
    later = reverse("selfassessment:question", kwargs={"key": MODEL.question_keys[3]})
    response = client.get(later)
    first = reverse("selfassessment:question", kwargs={"key": MODEL.question_keys[0]})
    assert response.status_code == 302 and response["Location"] == first
    for name in ("selfassessment:area", "selfassessment:check"):
        assert client.get(reverse(name))["Location"] == first
    assert client.get(reverse("selfassessment:result"))["Location"] == reverse(
        "selfassessment:start"
    )
    assert client.get("/self-assessment/questions/no-such-question/").status_code == 404


def test_a_question_page_is_a_gov_uk_question_page() -> None:
    client = Client()
    question = MODEL.questions[0]
    url = reverse("selfassessment:question", kwargs={"key": question.key})
    body = client.get(url).content.decode()
    assert '<fieldset class="govuk-fieldset"' in body
    assert '<h1 class="govuk-fieldset__heading">' in body
    assert 'class="govuk-back-link"' in body and reverse("selfassessment:start") in body
    assert body.count('type="radio"') == len(question.answers)
    assert ">Continue</button>" in body
    error = client.post(url, {})
    assert error.status_code == 200
    text = error.content.decode()
    assert "There is a problem" in text and question.error in text
    assert "<title>Error:" in text


@INSTANT
def test_changing_an_answer_from_the_check_page_returns_to_it() -> None:
    client = Client()
    answer_all_but_submit(client, PEOPLE["unaware"])
    key = MODEL.question_keys[2]
    url = reverse("selfassessment:question", kwargs={"key": key}) + "?change=1"
    page = client.get(url)
    assert reverse("selfassessment:check") in page.content.decode()  # the Back link
    response = client.post(url, {"answer": "several"})
    assert response["Location"] == reverse("selfassessment:check")


def answer_all_but_submit(client: Client, answers: dict[str, str]) -> None:
    client.post(reverse("selfassessment:start"))
    for question in MODEL.questions:
        client.post(reverse("selfassessment:question", kwargs={"key": question.key}),
                    {"answer": answers[question.key]})  # fmt: skip
    client.post(reverse("selfassessment:area"), {"district": "DL1"})


@INSTANT
def test_the_honeypot_refuses_a_program_politely() -> None:
    client = Client()
    answer_all_but_submit(client, PEOPLE["unaware"])
    response = client.post(reverse("selfassessment:check"), {"website": "http://spam.example"})
    assert response.status_code == 400
    assert "We could not accept your answers" in response.content.decode()
    assert Result.objects.count() == 0


@override_settings(SELF_ASSESSMENT_MIN_SECONDS=30)
def test_answers_faster_than_a_person_reads_are_refused_until_later() -> None:
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        answer_all_but_submit(client, PEOPLE["unaware"])
        response = client.post(reverse("selfassessment:check"), {"website": ""})
    assert response.status_code == 429
    assert "check your answers and submit them again" in response.content.decode()
    assert Result.objects.count() == 0
    with time_machine.travel(start + dt.timedelta(seconds=31), tick=False):
        response = client.post(reverse("selfassessment:check"), {"website": ""})
    assert response.status_code == 302
    assert Result.objects.count() == 1


@override_settings(SELF_ASSESSMENT_MIN_SECONDS=0, SELF_ASSESSMENT_MAX_PER_SESSION=2)
def test_one_browser_session_is_counted_a_few_times_only() -> None:
    client = Client()
    for _ in range(2):
        assert answer_all(client, PEOPLE["unaware"]).status_code == 302
    third = answer_all(client, PEOPLE["unaware"])
    assert "not_counted=session_limit" in third["Location"]
    page = client.get(third["Location"]).content.decode()
    assert "were not added to the area" in page and "Unaware" in page
    assert Result.objects.count() == 2


@override_settings(SELF_ASSESSMENT_MIN_SECONDS=0, SELF_ASSESSMENT_MAX_PER_MINUTE=2)
def test_the_whole_service_takes_so_many_a_minute() -> None:
    moment = timezone.now().replace(second=5)
    with time_machine.travel(moment, tick=False):
        for _ in range(2):
            assert "not_counted" not in answer_all(Client(), PEOPLE["unaware"])["Location"]
        busy = answer_all(Client(), PEOPLE["unaware"])
    assert "not_counted=busy" in busy["Location"]
    assert Result.objects.count() == 2
    with time_machine.travel(moment + dt.timedelta(minutes=1), tick=False):
        assert "not_counted" not in answer_all(Client(), PEOPLE["unaware"])["Location"]
    assert Result.objects.count() == 3


def test_a_forged_cookie_is_ignored() -> None:
    client = Client()
    client.cookies[state.COOKIE] = "forged:value"
    later = reverse("selfassessment:question", kwargs={"key": MODEL.question_keys[-1]})
    response = client.get(later)
    assert response.status_code == 302  # no trusted answers: back to the first question


@INSTANT
def test_the_cookie_is_scoped_private_and_ends_with_the_browser() -> None:
    client = Client()
    client.post(reverse("selfassessment:start"))
    cookie = client.cookies[state.COOKIE]
    assert cookie["path"] == "/self-assessment/"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["max-age"] and not cookie["expires"]


@INSTANT
def test_a_signed_in_person_takes_it_anonymously(client_for: Any, world: Any) -> None:
    client = client_for("member")
    answer_all(client, PEOPLE["over_confident"])
    row = Result.objects.get()
    assert row.segment == "over_confident"
    assert str(world.member.pk) not in str(Result.objects.values().get())
