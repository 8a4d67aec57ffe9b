"""GAIN through the pages and the API, as each persona: a police analyst and a council
analyst (each an agency with holdings), a ROCU coordinator, an analyst of an agency with
no part in it, and someone not signed in. No agency sees another's holdings through pages,
API, match explanations or error messages; the coordinator sees hit/no-hit and confidence
only; the holding agency decides disclosure."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from conftest import sign_in
from socprofiles.accounts.models import OrganisationKind
from socprofiles.accounts.tests.factories import OrganisationFactory, UserFactory
from socprofiles.audit.models import AuditEvent
from socprofiles.gain import services
from socprofiles.gain.models import Disclosure, HitRequest, Holding

from .test_engine import _people_across_agencies
from .test_services import _verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> dict[str, Any]:
    records, truth = _people_across_agencies()
    found: dict[str, Any] = {"records": records, "truth": truth}
    for name, kind in (("Police", OrganisationKind.POLICE_FORCE),
                       ("Council", OrganisationKind.LOCAL_AUTHORITY),
                       ("HMRC", OrganisationKind.HMRC)):  # fmt: skip
        org = OrganisationFactory(name=f"{name} (views)", kind=kind)
        user = _verified(UserFactory(username=f"{name.lower()}-views", organisation=org))
        rows = [{"reference": f"{name[:3].upper()}-{r['uid']}",
                 **{k: v for k, v in r.items() if k not in ("uid", "agency")}}
                for r in records if r["agency"] == name]  # fmt: skip
        services.holdings_load(actor=user, organisation=org, kind="person", rows=rows)
        found[name] = (org, user)
    rocu = OrganisationFactory(name="North East ROCU (views)", kind=OrganisationKind.ROCU)
    found["coordinator"] = _verified(UserFactory(username="rocu-views", organisation=rocu))
    other = OrganisationFactory(name="Elsewhere Police (views)", kind=OrganisationKind.POLICE_FORCE)
    found["elsewhere"] = _verified(UserFactory(username="elsewhere-views", organisation=other))
    return found


def _client(user: Any) -> Client:
    return sign_in(Client(), user)


def _shared_subject(people: dict[str, Any]) -> dict[str, str]:
    """A person the police and the council hold with the same name and date of birth."""
    records, truth = people["records"], people["truth"]
    by_agency: dict[str, dict[int, dict[str, Any]]] = {}
    for r in records:
        by_agency.setdefault(r["agency"], {})[truth[r["uid"]]] = r
    for index, police in sorted(by_agency["Police"].items()):
        council = by_agency["Council"].get(index)
        if (
            council
            and index not in by_agency["HMRC"]
            and all(police[k] == council[k] for k in ("first_name", "surname", "dob"))
        ):
            return {k: police[k] for k in ("first_name", "surname", "dob")}
    raise AssertionError("no shared subject in the sample")


def test_each_agency_sees_only_its_own_holdings(people: dict[str, Any]) -> None:
    police_org, police = people["Police"]
    _council_org, council = people["Council"]
    page = _client(council).get("/gain/holdings/").content.decode()
    assert "COU-" in page and "POL-" not in page
    police_holding = Holding.objects.filter(organisation=police_org).first()
    assert police_holding is not None
    client = _client(council)
    # Another agency's record is exactly as absent as one that does not exist.
    assert client.get(f"/gain/holdings/{police_holding.pk}/").status_code == 404
    assert client.get("/gain/holdings/00000000-0000-0000-0000-000000000000/").status_code == 404
    listed = client.get("/api/gain/holdings?limit=5000").json()
    assert listed and all(h["reference"].startswith("COU-") for h in listed)
    assert _client(police).get(f"/gain/holdings/{police_holding.pk}/").status_code == 200
    # Someone of an agency with no holdings sees an empty list; nobody signed out sees any.
    assert _client(people["elsewhere"]).get("/api/gain/holdings").json() == []
    assert Client().get("/gain/holdings/").status_code == 302
    assert Client().get("/api/gain/holdings").status_code == 401


def test_the_coordinator_learns_hit_or_no_hit_and_nothing_of_the_records(
    people: dict[str, Any],
) -> None:
    subject = _shared_subject(people)
    client = _client(people["coordinator"])
    response = client.post("/gain/requests/new/", {"kind": "person", **subject,
                                                    "purpose": "Op Example: who knows them?"})  # fmt: skip
    assert response.status_code == 302
    request = HitRequest.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Hit" in page and "No hit" in page
    # None of the agencies' references, nor values the coordinator did not give.
    for holding in Holding.objects.all():
        assert holding.reference not in page
    subject_values = set(subject.values())
    police_org, _police = people["Police"]
    for holding in Holding.objects.filter(organisation=police_org)[:50]:
        for value in holding.values.values():
            if value not in subject_values and len(value) > 6:
                assert value not in page
    api = client.get(f"/api/gain/requests/{request.pk}").json()
    assert {frozenset(a) for a in api["answers"]} == {
        frozenset({"organisation", "organisation_id", "hit", "confidence"})}  # fmt: skip
    hits = {a["organisation"]: a["hit"] for a in api["answers"]}
    assert hits == {"Police (views)": True, "Council (views)": True, "HMRC (views)": False}
    assert "matches" not in json.dumps(api)
    # Agencies cannot ask, and cannot see the coordinator's requests.
    _council_org, council = people["Council"]
    assert _client(council).get(f"/gain/requests/{request.pk}/").status_code == 404
    assert _client(council).post("/api/gain/requests", data=json.dumps(
        {"kind": "person", "subject": subject, "purpose": "Curious, nothing more"}),
        content_type="application/json").status_code == 404  # fmt: skip


def test_disclosure_is_asked_of_a_hit_and_decided_by_the_holder(people: dict[str, Any]) -> None:
    subject = _shared_subject(people)
    coordinator = people["coordinator"]
    police_org, police = people["Police"]
    hmrc_org, hmrc = people["HMRC"]
    request = services.hit_request(actor=coordinator, kind="person", subject=subject,
                                   purpose="Op Example: who knows them?")  # fmt: skip
    client = _client(coordinator)
    # An agency that answered no hit cannot be asked: the same message as any refusal.
    refused = client.post(f"/gain/requests/{request.pk}/", {
        "organisation": str(hmrc_org.pk), "purpose": "To see", "legal_gateway": "s115"})  # fmt: skip
    assert refused.status_code == 400 and "answered hit" in refused.content.decode()
    response = client.post(f"/gain/requests/{request.pk}/", {
        "organisation": str(police_org.pk), "purpose": "Identify associates for Op Example.",
        "legal_gateway": "Crime and Disorder Act 1998 s115"})  # fmt: skip
    assert response.status_code == 302
    disclosure = Disclosure.objects.get()
    url = f"/gain/disclosures/{disclosure.pk}/"
    # The holder sees its matched record and why it matched; the coordinator does not.
    holder_page = _client(police).get(url).content.decode()
    matched = request.matches[str(police_org.pk)][0]
    reference = Holding.objects.get(pk=matched["holding"]).reference
    assert reference in holder_page and "Exact match on surname" in holder_page
    coordinator_page = client.get(url).content.decode()
    assert reference not in coordinator_page and "Exact match on surname" not in coordinator_page
    # Other agencies do not know it exists.
    assert _client(hmrc).get(url).status_code == 404
    assert _client(people["elsewhere"]).get(url).status_code == 404
    # The coordinator cannot decide; the holder records what it shares.
    assert client.post(url, {"decision": "approve", "shared": "All of it"}).status_code == 403
    assert _client(police).post(url, {"decision": "approve", "shared": ""}).status_code == 400
    done = _client(police).post(url, {"decision": "approve",
                                      "shared": "Name, address and two associates, by phone."})  # fmt: skip
    assert done.status_code == 302
    disclosure.refresh_from_db()
    assert disclosure.status == "approved" and disclosure.decided_by == police
    assert AuditEvent.objects.filter(action="gain.disclosure_decided").count() == 1


def test_importing_a_file_is_all_or_nothing_with_row_and_column(
    people: dict[str, Any], tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    _org, council = people["Council"]
    client = _client(council)
    before = Holding.objects.count()
    bad = SimpleUploadedFile("council.csv", b"Reference,Surname,Date of birth\n"
                             b"C-NEW-1,Birch,1980-01-02\nC-NEW-2,Lang,31/02/1999\n")  # fmt: skip
    response = client.post("/gain/holdings/", {"kind": "person", "file": bad})
    page = response.content.decode()
    assert response.status_code == 400 and "Nothing was imported" in page
    assert "Date of birth" in page and ">3<" in page  # the row and the column
    assert Holding.objects.count() == before
    good = SimpleUploadedFile("council.csv", b"Reference,Surname,Date of birth,Postcode\n"
                              b"C-NEW-1,Birch,1980-01-02,DH1 3AB\n")  # fmt: skip
    assert client.post("/gain/holdings/", {"kind": "person", "file": good}).status_code == 302
    added = Holding.objects.get(reference="C-NEW-1")
    assert added.values["dob"] == "1980-01-02" and added.cleaned["postcode"] == "DH1 3AB"
    # A wrong kind of file gets a plain message.
    wrong = SimpleUploadedFile("council.csv", b"Make,Colour\nFord,Blue\n")
    refused = client.post("/gain/holdings/", {"kind": "person", "file": wrong})
    assert refused.status_code == 400 and "Reference" in refused.content.decode()


def test_joint_work_candidates_are_for_coordinators(people: dict[str, Any]) -> None:
    client = _client(people["coordinator"])
    page = client.get("/gain/joint-work/").content.decode()
    assert "HMRC (views)" in page and "Police (views)" in page
    assert "POL-" not in page
    assert client.get("/api/gain/joint-work").json()
    _org, police = people["Police"]
    assert _client(police).get("/gain/joint-work/").status_code == 404


def test_bad_input_is_refused_precisely_and_changes_nothing(people: dict[str, Any]) -> None:
    """From the review: values that cannot be stored, nested values, blank values, too
    many rows, a second disclosure request, out-of-range paging: a precise refusal, no
    500 and nothing written."""
    _org, council = people["Council"]
    client = _client(council)
    before = Holding.objects.count()

    def post(rows: Any) -> Any:
        return client.post("/api/gain/holdings", data=json.dumps({"kind": "person", "rows": rows}),
                           content_type="application/json")  # fmt: skip

    surrogate = post([{"reference": "X\ud800", "surname": "Birch"}])
    assert surrogate.status_code in (400, 422), surrogate.content
    assert "parse" in surrogate.content.decode(), surrogate.content  # refused, not a 500
    nested = post([{"reference": "X-1", "surname": {"a": [1, 2]}}])
    assert nested.status_code == 400 and "single value" in nested.json()["detail"]
    blank = post([{"reference": "X-2", "surname": "   "}])
    assert blank.status_code == 400 and "none of" in blank.json()["detail"]
    many = post([{"reference": f"X-{i}", "surname": "Birch"} for i in range(5001)])
    assert many.status_code == 400 and "At most 5,000 rows" in many.json()["detail"]
    assert client.get("/api/gain/holdings?offset=100000000000000000000").status_code == 422
    assert Holding.objects.count() == before

    subject = _shared_subject(people)
    coordinator = _client(people["coordinator"])
    request = services.hit_request(actor=people["coordinator"], kind="person", subject=subject,
                                   purpose="Op Example: who knows them?")  # fmt: skip
    police_org, _police = people["Police"]
    url = f"/api/gain/requests/{request.pk}/disclosures"
    body = {"organisation": str(police_org.pk), "purpose": "Associates for Op Example.",
            "legal_gateway": "Crime and Disorder Act 1998 s115"}  # fmt: skip
    first = coordinator.post(url, data=json.dumps(body), content_type="application/json")
    assert first.status_code == 201
    again = coordinator.post(url, data=json.dumps(body), content_type="application/json")
    assert again.status_code == 400 and "already been asked" in again.json()["detail"]
    short = coordinator.post(url, data=json.dumps({**body, "purpose": ""}),
                             content_type="application/json")  # fmt: skip
    assert short.status_code == 400
    assert Disclosure.objects.count() == 1


def test_agencies_do_not_learn_who_else_holds_their_records(people: dict[str, Any]) -> None:
    """A probe record tells its agency nothing: no counts of other agencies on the
    holdings pages or API; only a coordinator's audited request answers that."""
    police_org, _police = people["Police"]
    _org, council = people["Council"]
    probe = Holding.objects.filter(organisation=police_org).first()
    assert probe is not None
    client = _client(council)
    assert client.post("/api/gain/holdings", data=json.dumps(
        {"kind": "person", "rows": [{"reference": "PROBE-1", **probe.values}]}),
        content_type="application/json").status_code == 201  # fmt: skip
    listed = client.get("/api/gain/holdings?limit=5000").json()
    assert all(set(h) == {"id", "kind", "reference", "values"} for h in listed)
    mine = Holding.objects.get(reference="PROBE-1")
    page = client.get(f"/gain/holdings/{mine.pk}/").content.decode()
    assert "agenc" not in page.split("<main", 1)[1].lower().replace("your agency", "")
