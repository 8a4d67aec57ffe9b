"""Wider sharing from request to revocation, the standing distribution, feedback threads
and the FOI log, with the personas; every decision on the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from conftest import World, sign_in
from socprofiles.audit.models import AuditEvent
from socprofiles.audit.services import audit_chain_verify
from socprofiles.core.exceptions import ServiceError
from socprofiles.profiles.permissions import can_view_published
from socprofiles.sharing import selectors, services
from socprofiles.sharing.models import ShareStatus

pytestmark = pytest.mark.django_db


def test_a_request_needs_the_owner_then_the_partnership(world: World) -> None:
    share = world.share
    assert not can_view_published(world.grantee, world.profile)
    # The partnership cannot approve before the owner has agreed; the requester cannot agree.
    with pytest.raises(PermissionDenied):
        services.share_approve(actor=world.chair, request=share, approve=True)
    with pytest.raises(PermissionDenied):
        services.share_owner_decide(actor=world.member, request=share, agree=True)
    services.share_owner_decide(actor=world.owner, request=share, agree=True)
    assert not can_view_published(world.grantee, world.profile)
    # The profile owner cannot approve for the partnership as well: it takes a second owner.
    with pytest.raises(PermissionDenied):
        services.share_approve(actor=world.owner, request=share, approve=True)
    services.share_approve(actor=world.chair, request=share, approve=True)
    assert share.status == ShareStatus.APPROVED
    assert can_view_published(world.grantee, world.profile)
    services.share_revoke(actor=world.owner, request=share, reason="The operation has closed.")
    assert not can_view_published(world.grantee, world.profile)
    actions = list(
        AuditEvent.objects.filter(action__startswith="sharing.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["sharing.requested", "sharing.owner_agreed", "sharing.approved",
                       "sharing.revoked"]  # fmt: skip
    assert audit_chain_verify().ok


def test_declining_needs_a_reason_and_ends_the_request(world: World) -> None:
    with pytest.raises(ServiceError):
        services.share_owner_decide(actor=world.owner, request=world.share, agree=False)
    services.share_owner_decide(
        actor=world.owner, request=world.share, agree=False, note="Not needed for the operation."
    )
    assert world.share.status == ShareStatus.DECLINED
    with pytest.raises(PermissionDenied):
        services.share_approve(actor=world.chair, request=world.share, approve=True)


def test_requests_are_checked(world: World) -> None:
    profile = world.profile
    with pytest.raises(ServiceError, match="member of the partnership"):
        services.share_request(actor=world.member, profile=profile, recipient=world.reader,
                               recipient_kind="other_force", rationale="x" * 20,
                               expires_on=None)  # fmt: skip
    with pytest.raises(ServiceError, match="past"):
        services.share_request(actor=world.member, profile=profile, recipient=world.outsider,
                               recipient_kind="other_force", rationale="x" * 20,
                               expires_on=timezone.localdate() - dt.timedelta(days=1))  # fmt: skip
    with pytest.raises(ServiceError, match="sentence"):
        services.share_request(actor=world.member, profile=profile, recipient=world.outsider,
                               recipient_kind="other_force", rationale="", expires_on=None)  # fmt: skip
    with pytest.raises(PermissionDenied):  # readers do not ask
        services.share_request(actor=world.reader, profile=profile, recipient=world.outsider,
                               recipient_kind="other_force", rationale="x" * 20,
                               expires_on=None)  # fmt: skip


def test_standing_recipients_read_every_published_version(world: World) -> None:
    assert not can_view_published(world.grantee, world.profile)
    with pytest.raises(PermissionDenied):
        services.standing_recipient_add(
            actor=world.analyst, profile=world.profile, user=world.grantee, label="NCA"
        )
    services.standing_recipient_add(
        actor=world.owner, profile=world.profile, user=world.grantee,
        label="National Crime Agency",
    )  # fmt: skip
    assert can_view_published(world.grantee, world.profile)
    rows = selectors.shared_with(user=world.grantee)
    assert [(p.title, why) for p, why, _ in rows] == [
        (world.profile.title, "Standing copy (National Crime Agency)")
    ]


def test_feedback_threads_stay_with_the_version(world: World, client_for: Any) -> None:
    version = world.profile.versions.get()
    feedback = world.feedback
    assert feedback.section_title == "Summary"
    # Another member does not see the reader's feedback; contributors do.
    assert selectors.feedback_for(user=world.member, version=version) == []
    assert selectors.feedback_for(user=world.analyst, version=version) == [feedback]
    with pytest.raises(PermissionDenied):
        services.feedback_answer(actor=world.analyst, feedback=feedback, answer="Will do, thanks.")
    services.feedback_answer(actor=world.owner, feedback=feedback, answer="Added in version 2.")
    page = client_for("reader").get(reverse("sharing:feedback", args=[world.profile.pk, 1]))
    assert "Added in version 2." in page.content.decode()
    with pytest.raises(ServiceError):
        services.feedback_send(actor=world.reader, version=version, section_key="nope",
                               text="Some feedback here.")  # fmt: skip


def test_the_foi_log_records_decisions_and_exemptions(world: World) -> None:
    foi = world.foi
    assert foi.referred_to == world.owner
    assert foi.due_on == dt.date(2026, 11, 30)  # 20 working days after 2 November 2026
    with pytest.raises(ServiceError, match="exemptions"):
        services.foi_decide(actor=world.owner, foi=foi, decision="withheld", exemptions=[],
                            reasoning="It would prejudice law enforcement.")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.foi_decide(actor=world.analyst, foi=foi, decision="withheld",
                            exemptions=["s31"], reasoning="It would prejudice law enforcement.")  # fmt: skip
    services.foi_decide(actor=world.owner, foi=foi, decision="partly", exemptions=["s31", "s40"],
                        reasoning="Totals released; locations withheld.")  # fmt: skip
    foi.refresh_from_db()
    assert foi.exemptions == ["s31", "s40"] and foi.decided_by == world.owner
    event = AuditEvent.objects.get(action="foi.decided")
    assert event.detail["exemptions"] == ["s31", "s40"]
    with pytest.raises(ServiceError, match="already in the log"):
        services.foi_log(actor=world.analyst, profile=world.profile, reference="FOI-0001",
                         received_on=dt.date(2026, 11, 3), summary="The same again, please.")  # fmt: skip


def test_nothing_leaks_to_people_without_access(world: World) -> None:
    from django.test import Client

    outsider = sign_in(Client(), world.outsider)
    for url in (
        reverse("sharing:sharing", args=[world.profile.pk]),
        reverse("sharing:feedback", args=[world.profile.pk, 1]),
        reverse("sharing:foi", args=[world.profile.pk]),
        f"/api/profiles/{world.profile.pk}/share-requests",
        f"/api/profiles/{world.profile.pk}/foi",
    ):
        response = outsider.get(url)
        assert response.status_code == 404, url
        body = response.content.decode()
        assert world.profile.title not in body and "FOI-0001" not in body
    listing = outsider.get(reverse("sharing:shared_with_me")).content.decode()
    assert world.profile.title not in listing


def test_an_official_sensitive_section_marks_the_whole_document(world: World) -> None:
    from socprofiles.profiles import selectors as profile_selectors
    from socprofiles.profiles import services as profiles

    section = world.profile.sections.get(key="threat_cse")
    with pytest.raises(ServiceError, match="handling note"):
        profiles.section_update(actor=world.analyst, section=section, narrative="x",
                                classification="OFFICIAL-SENSITIVE")  # fmt: skip
    with pytest.raises(ServiceError, match="not accredited"):
        profiles.section_update(actor=world.analyst, section=section, narrative="x",
                                classification="SECRET")  # fmt: skip
    profiles.section_update(actor=world.analyst, section=section, narrative="Victims' areas.",
                            classification="OFFICIAL-SENSITIVE",
                            handling_note="Safeguarding leads only.")  # fmt: skip
    marking, note = profile_selectors.document_marking(world.profile)
    assert marking == "OFFICIAL-SENSITIVE" and "Safeguarding leads only." in note
    profile = profiles.profile_transition(
        actor=world.analyst, profile=world.profile, action="send_to_consultation"
    )
    profile = profiles.profile_transition(actor=world.owner, profile=profile, action="publish")
    assert profile.versions.get(number=2).classification == "OFFICIAL-SENSITIVE"
