"""Partnership pages as each persona sees them."""

from __future__ import annotations

import re

from conftest import World
from socprofiles.accounts.models import PartnershipMembership
from socprofiles.accounts.tests.factories import UserFactory
from socprofiles.audit.models import AuditEvent


def test_members_see_the_partnership_with_its_positions(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("reader").get(f"/partnerships/{world.partnership.slug}/")
    body = page.content.decode()
    assert world.partnership.name in body
    assert world.owner.display_name in body  # police lead
    assert "Manage members" not in body and "Audit trail" not in body
    owner_page = client_for("owner").get(f"/partnerships/{world.partnership.slug}/").content
    assert b"Manage members" in owner_page and b"Audit trail" in owner_page


def test_outsiders_learn_nothing_about_other_partnerships(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    outsider = client_for("outsider")
    for page in ("/", "/partnerships/", f"/organisations/{world.council.slug}/"):
        body = outsider.get(page).content.decode()
        assert world.partnership.name not in body, page
    missing = outsider.get("/partnerships/no-such-partnership/")
    hidden = outsider.get(f"/partnerships/{world.partnership.slug}/")
    assert missing.status_code == hidden.status_code == 404
    # Existence does not leak through the page (the per-request CSRF token aside).
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", missing.content) == token.sub(b"", hidden.content)


def test_owner_adds_changes_and_removes_a_member_through_the_pages(
    world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    newcomer = UserFactory(organisation=world.council, full_name="Nia Newcomer")
    owner = client_for("owner")
    base = f"/partnerships/{world.partnership.slug}/members/"
    form = owner.get(base)
    assert b"Nia Newcomer" in form.content
    added = owner.post(base, {"user": newcomer.pk, "role": "reader"}, follow=True)
    assert b"Nia Newcomer is now a reader" in added.content
    membership = PartnershipMembership.objects.get(user=newcomer)
    changed = owner.post(f"{base}{membership.pk}/role/", {"role": "member"}, follow=True)
    assert b"role has changed" in changed.content
    membership.refresh_from_db()
    assert membership.role == "member"
    removed = owner.post(f"{base}{membership.pk}/remove/", follow=True)
    assert b"is no longer a member" in removed.content
    assert not PartnershipMembership.objects.filter(pk=membership.pk).exists()
    actions = set(
        AuditEvent.objects.filter(partnership_id=world.partnership.pk).values_list(
            "action", flat=True
        )
    )
    assert {
        "partnership.member_added",
        "partnership.member_role_changed",
        "partnership.member_removed",
    } <= actions


def test_form_errors_are_shown_with_an_error_summary(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    owner = client_for("owner")
    base = f"/partnerships/{world.partnership.slug}/members/"
    response = owner.post(base, {"user": "", "role": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Choose the person to add." in body
    assert body.count("Error: ") >= 1  # the page title says there is an error
    own = PartnershipMembership.objects.get(user=world.owner)
    refused = owner.post(f"{base}{own.pk}/remove/")
    assert refused.status_code == 200
    assert b"at least one owner" in refused.content
    assert PartnershipMembership.objects.filter(pk=own.pk).exists()


def test_positions_page_saves_and_validates(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    owner = client_for("owner")
    url = f"/partnerships/{world.partnership.slug}/positions/"
    bad = owner.post(url, {"police_lead": world.member.pk})
    assert b"must have the owner role" in bad.content
    ok = owner.post(
        url,
        {
            "police_lead": world.owner.pk,
            "pcc_lead": world.reader.pk,
            "council_contact": world.member.pk,
        },
    )
    assert ok.status_code == 302
    world.partnership.refresh_from_db()
    assert world.partnership.council_contact == world.member


def test_directories_filter(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    member = client_for("member")
    page = member.get("/organisations/", {"kind": "local_authority"}).content.decode()
    assert "Test Council" in page and "Test Constabulary" not in page
    found = member.get("/organisations/", {"q": "constab"}).content.decode()
    assert "Test Constabulary" in found and "Test Council" not in found
    bad = member.get("/organisations/", {"kind": "no-such-kind"})
    assert bad.status_code == 200  # an unknown filter shows everything, with the error
    assert b"Select a valid choice" in bad.content
