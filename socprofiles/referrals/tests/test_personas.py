"""Who sees what of a referral, through every page, export and API operation: the
coordinator sees and acts on everything; the referrer and their colleague see their
organisation's referral and its status, never the triage; the owning agency sees what is
assigned to it, triage included; the council's reader, other partners and outsiders do not
see it at all (404, and the description never appears in anything they get). Every view
of a referral's detail is audited, and the audit trail never carries the description."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from conftest import page_text
from socprofiles.audit.models import AuditEvent
from socprofiles.referrals.models import Referral

from .conftest import DESCRIPTION, PERSONAS, TACTICAL, People

pytestmark = pytest.mark.django_db

LOGIN = "login"
SEES = {"coordinator": 200, "referrer": 200, "colleague": 200, "council_reader": 404,
        "agency": 200, "other_partner": 404, "outsider": 404, "anonymous": LOGIN}  # fmt: skip
ACTS = {**SEES, "referrer": 403, "colleague": 403, "agency": 403}
MEMBERS = {**dict.fromkeys(PERSONAS, 200), "outsider": 404, "anonymous": LOGIN}
TRIAGE_SECRETS = ("Daily calls", "gift cards", "Op Signature fraud victim support", "72")
SECRETS = (DESCRIPTION, "Ada Example", "Sample Row")


def _check(response: Any, expected: Any, label: str) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, label
        assert urlsplit(response["Location"]).path == reverse("accounts:login"), label
    else:
        assert response.status_code == expected, f"{label}: {response.status_code}"


def _body(response: Any) -> str:
    return page_text(response)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_referral_pages(persona: str, people: People, referral: Referral,
                            client_as: Callable[..., Any]) -> None:  # fmt: skip
    client = client_as(persona)
    detail = client.get(reverse("referrals:detail", args=[referral.pk]))
    _check(detail, SEES[persona], f"{persona} detail")
    triage_page = client.get(reverse("referrals:triage", args=[referral.pk]))
    _check(triage_page, ACTS[persona], f"{persona} triage")
    if SEES[persona] == 200:
        text = _body(detail)
        assert DESCRIPTION.split(",")[0] in text and "REF-0001" in text
        assert "Assigned" in text and "Testshire NHS Trust" in text
        sees_triage = persona in ("coordinator", "agency")
        for secret in ("Daily calls; has already bought gift cards.", "Op Signature fraud victim "
                       "support", "MoRiLE tactical score"):  # fmt: skip
            assert (secret in text) == sees_triage, f"{persona}: {secret}"
        assert ("Assign</button>" in text) == (persona == "coordinator")
    else:
        assert not any(s in _body(detail) for s in SECRETS)
    for action in ("assign", "close"):
        response = client.get(reverse(f"referrals:{action}", args=[referral.pk]))
        _check(response, LOGIN if persona == "anonymous" else 405, f"{persona} GET {action}")


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_exports_and_counts(persona: str, people: People, referral: Referral,
                                     client_as: Callable[..., Any]) -> None:  # fmt: skip
    client = client_as(persona)
    slug = people.partnership.slug
    listing = client.get(reverse("referrals:list", args=[slug]))
    _check(listing, MEMBERS[persona], f"{persona} list")
    export = client.get(reverse("referrals:export", args=[slug]))
    _check(export, MEMBERS[persona], f"{persona} export")
    for name in ("referrals:counts", "referrals:counts_csv"):
        _check(client.get(reverse(name, args=[slug])), MEMBERS[persona], f"{persona} {name}")
    if MEMBERS[persona] != 200:
        return
    listed = SEES[persona] == 200
    assert ("REF-0001" in _body(listing)) == listed, persona
    csv = _body(export)
    assert ("REF-0001" in csv) == listed, persona
    assert DESCRIPTION not in csv and "Ada" not in csv  # never a description in the list
    assert ("Tactical score" in csv) == (persona == "coordinator"), persona
    counts = _body(client.get(reverse("referrals:counts", args=[slug])))
    assert "Vulnerable fraud victim (Op Signature)" in counts and "REF-0001" not in counts
    assert "Testshire County" in counts  # counted in its LSOA's local authority
    new = client.get(reverse("referrals:new", args=[slug]))
    _check(new, 403 if persona == "council_reader" else 200, f"{persona} new")


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api(persona: str, people: People, referral: Referral,
                 client_as: Callable[..., Any]) -> None:  # fmt: skip
    client = client_as(persona)
    unauthenticated = persona == "anonymous"
    detail = client.get(f"/api/referrals/{referral.pk}")
    assert detail.status_code == (401 if unauthenticated else SEES[persona]), persona
    if detail.status_code == 200:
        data = detail.json()
        assert data["description"] == DESCRIPTION
        assert (data["triage"] is not None) == (persona in ("coordinator", "agency"))
    else:
        assert not any(s in _body(detail) for s in SECRETS)
    listing = client.get(f"/api/partnerships/{people.partnership.slug}/referrals")
    if unauthenticated:
        assert listing.status_code == 401
    elif persona == "outsider":
        assert listing.status_code == 404
    else:
        refs = [r["reference"] for r in listing.json()]
        assert refs == (["REF-0001"] if SEES[persona] == 200 else []), persona
        assert DESCRIPTION not in _body(listing)
    body = {"answers": TACTICAL, "rating": "medium"}
    triage = client.post(f"/api/referrals/{referral.pk}/triage", data=json.dumps(body),
                         content_type="application/json")  # fmt: skip
    expected = 401 if unauthenticated else ACTS[persona]
    assert triage.status_code == expected, f"{persona}: {triage.status_code}"
    # Assigning is the coordinator's: the owning agency sees the triage but cannot move it.
    assign = client.post(f"/api/referrals/{referral.pk}/assign",
                         data=json.dumps({"owner_agency": people.nhs.slug,
                                          "route": "op_signature"}),
                         content_type="application/json")  # fmt: skip
    assert assign.status_code == expected, f"{persona}: assign {assign.status_code}"
    close = client.post(f"/api/referrals/{referral.pk}/close",
                        data=json.dumps({"outcome": "safeguarded"}),
                        content_type="application/json")  # fmt: skip
    assert close.status_code == expected, persona
    referral.refresh_from_db()
    assert (referral.status == "closed") == (persona == "coordinator")


def test_every_view_is_audited_and_the_trail_keeps_no_description(
    people: People, referral: Referral, client_as: Callable[..., Any]
) -> None:
    for persona in ("coordinator", "referrer", "agency"):
        client_as(persona).get(reverse("referrals:detail", args=[referral.pk]))
    client_as("referrer").get(f"/api/referrals/{referral.pk}")
    client_as("other_partner").get(reverse("referrals:detail", args=[referral.pk]))  # 404
    viewed = AuditEvent.objects.filter(action="referral.viewed", object_id=str(referral.pk))
    assert sorted(e.actor_username for e in viewed) == ["agency", "coordinator", "referrer",
                                                        "referrer"]  # fmt: skip
    assert {e.detail["via"] for e in viewed} == {"page", "api"}
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"referral.submitted", "referral.triaged", "referral.assigned"} <= actions
    trail = json.dumps(list(AuditEvent.objects.values("detail", "purpose")))
    assert not any(s in trail for s in SECRETS)


def test_a_coordinator_triages_assigns_and_closes_in_the_pages(
    people: People, client_as: Callable[..., Any]
) -> None:
    from socprofiles.referrals import services

    made = services.referral_submit(
        actor=people.colleague, partnership=people.partnership, category="exploitation",
        where="dh1", description="A 15-year-old seen collecting parcels from a car at night.",
    )  # fmt: skip
    client = client_as("coordinator")
    form = {k: f"{v:g}" for k, v in TACTICAL.items()} | {"rating": "", "rationale": "Known"}
    response = client.post(reverse("referrals:triage", args=[made.pk]), form)
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.status, made.rating, made.tactical_score) == ("triaged", "high", 72.0)
    response = client.post(reverse("referrals:assign", args=[made.pk]),
                           {"assign-owner_agency": str(people.force.pk),
                            "assign-route": "diversion"})  # fmt: skip
    made.refresh_from_db()
    assert (made.status, made.owner_agency, made.route) == ("assigned", people.force,
                                                            "diversion")  # fmt: skip
    client.post(reverse("referrals:close", args=[made.pk]),
                {"close-outcome": "diverted", "close-notes": "Mentoring accepted."})  # fmt: skip
    made.refresh_from_db()
    assert made.status == "closed" and made.outcome == "diverted" and made.closed_on is not None
    # The referrer's organisation sees the outcome, not the notes.
    page = _body(client_as("referrer").get(reverse("referrals:detail", args=[made.pk])))
    assert "Diverted from crime" in page and "Mentoring accepted." not in page


def test_a_referrer_makes_a_referral_in_the_page(
    people: People, client_as: Callable[..., Any]
) -> None:
    client = client_as("other_partner")
    url = reverse("referrals:new", args=[people.partnership.slug])
    refused = client.post(url, {"category": "premises", "where": "DH1 1AA",
                                "description": "A house with blacked-out windows and visitors."})  # fmt: skip
    assert refused.status_code == 200 and "not a full postcode" in _body(refused)
    response = client.post(url, {"category": "premises", "where": "DH1",
                                 "description": "A house with blacked-out windows and visitors."})  # fmt: skip
    made = Referral.objects.get()
    assert response["Location"] == made.get_absolute_url()
    assert (made.referring_organisation, made.referrer, made.postcode_district, made.status) == (
        people.fire,
        people.other_partner,
        "DH1",
        "submitted",
    )
    assert client_as("referrer").get(made.get_absolute_url()).status_code == 404
