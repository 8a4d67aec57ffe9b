"""The demo loads a real-shaped partnership, idempotently, and its log-ins obey DEBUG."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from socprofiles.accounts.models import Area, AreaKind, Partnership, PartnershipRole, User
from socprofiles.audit.models import AuditEvent
from socprofiles.audit.services import audit_chain_verify
from socprofiles.demo import fixtures
from socprofiles.morile.selectors import consensus

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int]:
    return (
        Area.objects.count(),
        User.objects.count(),
        Partnership.objects.count(),
        AuditEvent.objects.count(),
    )


def test_load_demo_builds_the_partnership_and_is_idempotent() -> None:
    call_command("load_demo", force=True)
    first = _counts()
    call_command("load_demo", force=True)
    assert _counts() == first
    partnership = Partnership.objects.get(slug=fixtures.DEMO_SLUG)
    assert partnership.area.code == "E23000008"
    lads = set(
        Area.objects.filter(kind=AreaKind.LOCAL_AUTHORITY, parent=partnership.area).values_list(
            "code", flat=True
        )
    )
    assert lads == {"E06000047", "E06000005"}
    assert Area.objects.filter(kind=AreaKind.LSOA).count() == 389
    roles = set(partnership.memberships.values_list("role", flat=True))
    assert roles == set(PartnershipRole.values)
    assert partnership.police_lead.username == "durham.owner"
    assert partnership.council_contact.organisation.slug == "durham-county-council"
    assert all(u.is_demo for u in User.objects.all())
    assert audit_chain_verify().ok

    # The MoRiLE assessment: at the agreeing step, with disagreements to show and a shortlist.
    assessment = partnership.assessments.get(title=fixtures.ASSESSMENT_TITLE)
    assert assessment.stage == "consensus"
    assert assessment.issues.count() == len(fixtures.ASSESSMENT_ISSUES)
    assert assessment.issues.filter(agreed__isnull=False).count() == 10
    assert assessment.issues.filter(shortlisted=True).count() >= 6
    rows = consensus(assessment=assessment)
    assert any(row.flagged for row in rows) and all(row.scorers == 6 for row in rows)

    # The Local Profile: published once (loading again publishes nothing new), in delivery.
    profile = partnership.profiles.get(title=fixtures.PROFILE_TITLE)
    assert profile.stage == "delivering" and profile.versions.count() == 1
    assert profile.review_due_on is not None
    assert not profile.clearances.exclude(status="cleared").exists()


def test_demo_log_ins_work_only_with_demo_logins_enabled() -> None:
    call_command("load_demo", force=True)
    credentials = {"username": "durham.analyst", "password": fixtures.DEMO_PASSWORD}
    refused = Client().post("/accounts/login/", credentials)
    assert refused.status_code == 200  # the form again, with an error
    with override_settings(DEMO_LOGINS_ENABLED=True):
        client = Client()
        assert client.post("/accounts/login/", credentials).status_code == 302
        page = client.get(f"/partnerships/{fixtures.DEMO_SLUG}/")
        assert page.status_code == 200
        assert b"Priya Coleman" in page.content


def test_the_demo_refuses_a_live_system() -> None:
    """With demo log-ins off (production settings), loading the demo would put fictional
    records into real organisations: it is refused unless forced."""
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="live system"):
        call_command("load_demo")
