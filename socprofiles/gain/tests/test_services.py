"""GAIN with real agencies' holdings (fictional people): the coordinator learns, per agency,
hit or no hit and how confident, never the records; holdings stay with their agency;
disclosure is the holding agency's decision; every step audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from socprofiles.accounts.models import OrganisationKind
from socprofiles.accounts.tests.factories import OrganisationFactory, TOTPDeviceFactory, UserFactory
from socprofiles.audit.models import AuditEvent
from socprofiles.core.exceptions import ServiceError
from socprofiles.gain import selectors, services
from socprofiles.gain.models import Holding, Match, TrainedModel

from .test_engine import _people_across_agencies

pytestmark = pytest.mark.django_db


def _verified(user: Any) -> Any:
    """A user past two-factor, as django-otp's middleware marks a signed-in person."""
    user.otp_device = TOTPDeviceFactory(user=user)
    user.is_verified = lambda: True
    return user


@pytest.fixture
def network() -> dict[str, Any]:
    records, truth = _people_across_agencies()
    agencies = {}
    for name, kind in (("Police", OrganisationKind.POLICE_FORCE),
                       ("Council", OrganisationKind.LOCAL_AUTHORITY),
                       ("HMRC", OrganisationKind.HMRC)):  # fmt: skip
        org = OrganisationFactory(name=f"{name} (test)", kind=kind)
        user = _verified(UserFactory(username=f"{name.lower()}-analyst", organisation=org))
        rows = [{"reference": r["uid"], **{k: v for k, v in r.items() if k not in ("uid", "agency")}}
                for r in records if r["agency"] == name]  # fmt: skip
        services.holdings_load(actor=user, organisation=org, kind="person", rows=rows)
        agencies[name] = (org, user, {r["uid"] for r in records if r["agency"] == name})
    rocu = OrganisationFactory(name="Test ROCU", kind=OrganisationKind.ROCU)
    coordinator = _verified(UserFactory(username="coordinator", organisation=rocu))
    return {"records": records, "truth": truth, "agencies": agencies, "coordinator": coordinator}


def test_hit_or_no_hit_per_agency_and_nothing_else(network: dict[str, Any]) -> None:
    records, truth = network["records"], network["truth"]
    # A subject the police and the council hold, not HMRC.
    police = {truth[u] for u in network["agencies"]["Police"][2]}
    council = {truth[u] for u in network["agencies"]["Council"][2]}
    hmrc = {truth[u] for u in network["agencies"]["HMRC"][2]}
    keys = ("first_name", "surname", "dob")

    def copies(i: int, agency: str) -> tuple[Any, ...]:
        found = next(r for r in records if truth[r["uid"]] == i and r["agency"] == agency)
        return tuple(found[k] for k in keys)

    # Someone both hold with the same name and date of birth (no typo in either copy).
    person = next(i for i in sorted(police & council)
                  if i not in hmrc and copies(i, "Police") == copies(i, "Council"))  # fmt: skip
    subject = dict(zip(keys, copies(person, "Police"), strict=True))
    request = services.hit_request(actor=network["coordinator"], kind="person", subject=subject,
                                   purpose="Op Example: is this person known to partners?")  # fmt: skip
    answers = {a["organisation"]: a for a in request.answers}
    assert answers["Police (test)"]["hit"] and answers["Council (test)"]["hit"]
    assert not answers["HMRC (test)"]["hit"]
    assert set(answers["Police (test)"]) == {"organisation", "organisation_id", "hit",
                                              "confidence"}  # fmt: skip
    event = AuditEvent.objects.get(action="gain.hit_request")
    assert event.purpose.startswith("Op Example") and event.detail["hits"] == 2


def test_only_coordinators_ask_and_holdings_stay_with_their_agency(network: dict[str, Any]) -> None:
    police_org, police_user, _ = network["agencies"]["Police"]
    council_org, council_user, _ = network["agencies"]["Council"]
    with pytest.raises(PermissionDenied):
        services.hit_request(actor=police_user, kind="person", subject={"surname": "smith"},
                             purpose="Curious about a neighbour")  # fmt: skip
    with pytest.raises(PermissionDenied):  # one agency cannot load into another's holdings
        services.holdings_load(actor=council_user, organisation=police_org, kind="person",
                               rows=[{"reference": "x", "surname": "smith"}])  # fmt: skip
    seen = selectors.holdings_for(user=council_user)
    assert seen.count() == 200 and {h.organisation_id for h in seen} == {council_org.pk}
    assert not selectors.holdings_for(user=network["coordinator"]).exists()


def test_loading_is_all_or_nothing(network: dict[str, Any]) -> None:
    police_org, police_user, _ = network["agencies"]["Police"]
    before = Holding.objects.count()
    with pytest.raises(ServiceError, match="row 3, column reference"):
        services.holdings_load(actor=police_user, organisation=police_org, kind="person",
                               rows=[{"reference": "new-1", "surname": "x"}, {"surname": "y"}])  # fmt: skip
    assert Holding.objects.count() == before


def test_disclosure_is_the_holding_agencys_decision(network: dict[str, Any]) -> None:
    records, _truth = network["records"], network["truth"]
    sample = next(r for r in records if r["agency"] == "HMRC")
    request = services.hit_request(
        actor=network["coordinator"], kind="person",
        subject={k: sample[k] for k in ("first_name", "surname", "dob")},
        purpose="Joint operation on a fraud network.",
    )  # fmt: skip
    hmrc_org, hmrc_user, _ = network["agencies"]["HMRC"]
    disclosure = services.disclosure_request(
        actor=network["coordinator"], request=request, organisation=hmrc_org,
        purpose="Identify the subject's businesses.", legal_gateway="Crime and Disorder Act 1998 s115",
    )  # fmt: skip
    _police_org, police_user, _ = network["agencies"]["Police"]
    with pytest.raises(PermissionDenied):
        services.disclosure_decide(actor=police_user, disclosure=disclosure, approve=True,
                                   shared="Not theirs to share")  # fmt: skip
    with pytest.raises(ServiceError, match="what is shared"):
        services.disclosure_decide(actor=hmrc_user, disclosure=disclosure, approve=True)
    services.disclosure_decide(actor=hmrc_user, disclosure=disclosure, approve=True,
                               shared="Two company directorships, references given by phone.")  # fmt: skip
    assert AuditEvent.objects.filter(action__startswith="gain.disclosure").count() == 2


def test_new_records_are_matched_incrementally_with_the_stored_model(
    network: dict[str, Any],
) -> None:
    """The model was trained when the second agency loaded; the third agency's records
    were matched against it without re-training, and give (almost) the subjects a full
    re-run gives."""
    model = TrainedModel.objects.get(kind="person")
    assert model.agencies == 2 and model.records == 400  # trained on police + council only
    truth = network["truth"]
    hmrc_ids = set(
        Holding.objects.filter(organisation__name="HMRC (test)").values_list("pk", flat=True)
    )
    assert (
        Match.objects.filter(left__in=hmrc_ids).exists()
        or Match.objects.filter(right__in=hmrc_ids).exists()
    )

    def joint_subjects() -> set[frozenset[int]]:
        found: dict[str, set[int]] = {}
        for h in Holding.objects.exclude(subject=""):
            found.setdefault(h.subject, set()).add(truth[h.reference])
        return {frozenset(people) for people in found.values()}

    incremental = joint_subjects()
    # Every subject is one real person, and most people held twice or more are found.
    assert all(len(people) == 1 for people in incremental)
    services.retrain("person")
    full = joint_subjects()
    assert len(incremental & full) >= 0.9 * len(full), (len(incremental), len(full))
    # Evidence is kept with every match: the field, the level and its weight, no values.
    match = Match.objects.filter(probability__gte=0.9).first()
    assert match is not None
    assert {e["field"] for e in match.evidence} == {
        "first_name",
        "surname",
        "dob",
        "postcode",
        "phone",
    }
    assert all(set(e) == {"field", "level", "weight"} for e in match.evidence)


def test_a_changed_record_loses_its_old_matches(network: dict[str, Any]) -> None:
    police_org, police_user, _ = network["agencies"]["Police"]
    matched = Match.objects.filter(probability__gte=0.9).select_related("left", "right").first()
    assert matched is not None
    mine = matched.left if matched.left.organisation_id == police_org.pk else matched.right
    if mine.organisation_id != police_org.pk:
        pytest.skip("no police match in this sample")
    services.holdings_load(actor=police_user, organisation=police_org, kind="person",
                           rows=[{"reference": mine.reference, "first_name": "zebedee",
                                  "surname": "quartermaine", "dob": "1901-01-01"}])  # fmt: skip
    assert not Match.objects.filter(pk=matched.pk).exists()
    assert Holding.objects.get(pk=mine.pk).subject == ""
