"""Partnership membership rules, each with the audit event it must leave."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from conftest import World
from socprofiles.accounts import services
from socprofiles.accounts.models import PartnershipMembership, PartnershipRole
from socprofiles.accounts.tests.factories import UserFactory
from socprofiles.audit.models import AuditEvent
from socprofiles.audit.services import audit_chain_verify
from socprofiles.core.exceptions import ServiceError


def _last_event(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).order_by("-seq").first()  # type: ignore[return-value]


def test_owner_adds_a_member_from_a_member_organisation(world: World) -> None:
    newcomer = UserFactory(organisation=world.council)
    membership = services.membership_add(
        actor=world.owner, partnership=world.partnership, user=newcomer, role="member"
    )
    assert membership.role == PartnershipRole.MEMBER
    event = _last_event("partnership.member_added")
    assert event.actor_id == world.owner.pk
    assert event.partnership_id == world.partnership.pk
    assert event.detail == {"user": newcomer.username, "role": "member"}
    assert event.organisation_name == world.force.name
    assert audit_chain_verify().ok


@pytest.mark.parametrize("persona", ["analyst", "member", "reader", "outsider", "admin"])
def test_only_owners_manage_members(world: World, persona: str) -> None:
    newcomer = UserFactory(organisation=world.council)
    with pytest.raises(PermissionDenied):
        services.membership_add(
            actor=world.persona(persona),
            partnership=world.partnership,
            user=newcomer,
            role="member",
        )
    assert not PartnershipMembership.objects.filter(user=newcomer).exists()
    assert not AuditEvent.objects.filter(action="partnership.member_added").exists()


def test_people_from_outside_the_member_organisations_cannot_be_added(world: World) -> None:
    stranger = UserFactory()
    with pytest.raises(ServiceError, match="not a member of this partnership"):
        services.membership_add(
            actor=world.owner, partnership=world.partnership, user=stranger, role="reader"
        )


def test_adding_twice_is_refused(world: World) -> None:
    with pytest.raises(ServiceError, match="already a member"):
        services.membership_add(
            actor=world.owner, partnership=world.partnership, user=world.member, role="reader"
        )


def test_changing_a_role_is_audited_with_before_and_after(world: World) -> None:
    membership = PartnershipMembership.objects.get(user=world.reader)
    services.membership_change_role(actor=world.owner, membership=membership, role="author")
    membership.refresh_from_db()
    assert membership.role == "author"
    assert _last_event("partnership.member_role_changed").detail == {
        "user": "reader",
        "from": "reader",
        "to": "author",
    }


def test_the_last_owner_cannot_step_down_or_be_removed(world: World) -> None:
    own = PartnershipMembership.objects.get(user=world.owner)
    with pytest.raises(ServiceError, match="at least one owner"):
        services.membership_change_role(actor=world.owner, membership=own, role="member")
    with pytest.raises(ServiceError, match="at least one owner"):
        services.membership_remove(actor=world.owner, membership=own)
    own.refresh_from_db()
    assert own.role == "owner"


def test_an_owner_can_hand_over_then_lose_management_rights(world: World) -> None:
    analyst = PartnershipMembership.objects.get(user=world.analyst)
    services.membership_change_role(actor=world.owner, membership=analyst, role="owner")
    services.partnership_set_positions(
        actor=world.owner, partnership=world.partnership, positions={"police_lead": world.analyst}
    )
    own = PartnershipMembership.objects.get(user=world.owner)
    services.membership_change_role(actor=world.owner, membership=own, role="member")
    with pytest.raises(PermissionDenied):
        services.membership_change_role(actor=world.owner, membership=own, role="owner")


def test_removing_a_member_is_audited(world: World) -> None:
    membership = PartnershipMembership.objects.get(user=world.reader)
    services.membership_remove(actor=world.owner, membership=membership)
    assert not PartnershipMembership.objects.filter(pk=membership.pk).exists()
    assert _last_event("partnership.member_removed").detail == {"user": "reader", "role": "reader"}


def test_a_position_holder_cannot_be_removed(world: World) -> None:
    services.partnership_set_positions(
        actor=world.owner,
        partnership=world.partnership,
        positions={"council_contact": world.member},
    )
    membership = PartnershipMembership.objects.get(user=world.member)
    with pytest.raises(ServiceError, match="give the position to someone else"):
        services.membership_remove(actor=world.owner, membership=membership)


def test_police_lead_must_be_an_owner_and_positions_need_members(world: World) -> None:
    with pytest.raises(ServiceError, match="must have the owner role"):
        services.partnership_set_positions(
            actor=world.owner,
            partnership=world.partnership,
            positions={"police_lead": world.member},
        )
    with pytest.raises(ServiceError, match="must be a member"):
        services.partnership_set_positions(
            actor=world.owner,
            partnership=world.partnership,
            positions={"pcc_lead": world.outsider},
        )
    services.partnership_set_positions(
        actor=world.owner, partnership=world.partnership, positions={"pcc_lead": world.reader}
    )
    world.partnership.refresh_from_db()
    assert world.partnership.pcc_lead == world.reader
    assert _last_event("partnership.positions_changed").detail == {"pcc_lead": "reader"}


def test_api_tokens_are_for_service_accounts_and_stored_as_digests(world: World) -> None:
    with pytest.raises(ServiceError, match="service accounts"):
        services.api_token_create(actor=None, user=world.member, name="x")
    service = UserFactory(is_service_account=True)
    issued = services.api_token_create(actor=None, user=service, name="Nightly feed", days=30)
    assert issued.key.startswith("socp_")
    assert issued.key not in issued.token.key_digest
    assert services.api_token_authenticate(key=issued.key) == service
    assert services.api_token_authenticate(key=issued.key + "x") is None
    services.api_token_revoke(actor=None, token=issued.token)
    assert services.api_token_authenticate(key=issued.key) is None
    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=world.owner, user=service, name="x")
