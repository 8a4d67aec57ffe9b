"""The JSON API applies the pages' rules: token or verified session, 404 for outsiders."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import World
from socprofiles.accounts import services
from socprofiles.accounts.models import ApiToken, PartnershipMembership
from socprofiles.accounts.tests.factories import UserFactory


@pytest.fixture
def token(world: World) -> str:
    service = UserFactory(username="svc.feed", organisation=world.force, is_service_account=True)
    return services.api_token_create(actor=None, user=service, name="feed").key


def _bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_anonymous_requests_get_401(world: World) -> None:
    response = Client().get("/api/organisations")
    assert response.status_code == 401
    assert "API token" in response.json()["detail"]


def test_a_token_authenticates_a_service_account(world: World, token: str) -> None:
    client = Client()
    me = client.get("/api/me", **_bearer(token))
    assert me.status_code == 200
    assert me.json()["username"] == "svc.feed"
    orgs = client.get("/api/organisations", **_bearer(token)).json()
    assert orgs["count"] >= 3
    # Service accounts belong to no partnership: a partnership is simply not there.
    slug = world.partnership.slug
    assert client.get(f"/api/partnerships/{slug}", **_bearer(token)).status_code == 404
    assert client.get("/api/partnerships", **_bearer(token)).json() == []


def test_expired_and_unknown_tokens_are_refused(world: World, token: str) -> None:
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get("/api/me", **_bearer(token)).status_code == 401
    assert Client().get("/api/me", **_bearer("socp_nope_nope")).status_code == 401


def test_unverified_session_is_not_enough(world: World) -> None:
    client = Client()
    client.force_login(world.member)  # password only, no second factor
    assert client.get("/api/me").status_code == 401


def test_partnership_endpoints_follow_membership(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    slug = world.partnership.slug
    member = client_for("member")
    detail = member.get(f"/api/partnerships/{slug}")
    assert detail.status_code == 200
    assert detail.json()["police_lead"]["username"] == "owner"
    members = member.get(f"/api/partnerships/{slug}/memberships").json()
    assert {m["user"]["username"] for m in members} == {"owner", "analyst", "member", "reader"}
    outsider = client_for("outsider")
    assert outsider.get(f"/api/partnerships/{slug}").status_code == 404
    assert outsider.get(f"/api/partnerships/{slug}/memberships").status_code == 404
    assert [p["slug"] for p in outsider.get("/api/partnerships").json()] == [
        world.other_partnership.slug
    ]


def test_owner_manages_members_through_the_api(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    slug = world.partnership.slug
    UserFactory(username="newcomer", organisation=world.council)
    owner = client_for("owner")
    created = owner.post(
        f"/api/partnerships/{slug}/memberships",
        data=json.dumps({"username": "newcomer", "role": "reader"}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    membership_id = created.json()["id"]
    changed = owner.patch(
        f"/api/partnerships/{slug}/memberships/{membership_id}",
        data=json.dumps({"role": "member"}),
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["role"] == "member"
    removed = owner.delete(f"/api/partnerships/{slug}/memberships/{membership_id}")
    assert removed.status_code == 204
    assert not PartnershipMembership.objects.filter(pk=membership_id).exists()


def test_business_rule_errors_are_400_with_a_message(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    slug = world.partnership.slug
    owner = client_for("owner")
    own = PartnershipMembership.objects.get(user=world.owner)
    response = owner.patch(
        f"/api/partnerships/{slug}/memberships/{own.pk}",
        data=json.dumps({"role": "reader"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "at least one owner" in response.json()["detail"]
    unknown = owner.post(
        f"/api/partnerships/{slug}/memberships",
        data=json.dumps({"username": "nobody-here", "role": "reader"}),
        content_type="application/json",
    )
    assert unknown.status_code == 400
    invalid = owner.post(
        f"/api/partnerships/{slug}/memberships",
        data=json.dumps({"username": "member", "role": "emperor"}),
        content_type="application/json",
    )
    assert invalid.status_code == 422


@pytest.mark.parametrize("persona", ["analyst", "member", "reader"])
def test_non_owners_get_403_on_writes(world: World, client_for, persona: str) -> None:  # type: ignore[no-untyped-def]
    slug = world.partnership.slug
    UserFactory(username="newcomer", organisation=world.council)
    response = client_for(persona).post(
        f"/api/partnerships/{slug}/memberships",
        data=json.dumps({"username": "newcomer", "role": "reader"}),
        content_type="application/json",
    )
    assert response.status_code == 403


def test_session_writes_need_the_csrf_token(world: World) -> None:
    from conftest import sign_in

    client = sign_in(Client(enforce_csrf_checks=True), world.owner)
    UserFactory(username="newcomer", organisation=world.council)
    response = client.post(
        f"/api/partnerships/{world.partnership.slug}/memberships",
        data=json.dumps({"username": "newcomer", "role": "reader"}),
        content_type="application/json",
    )
    assert response.status_code == 403


def test_openapi_schema_lists_the_endpoints(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    schema = client_for("member").get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/organisations",
        "/api/areas",
        "/api/partnerships",
        "/api/partnerships/{slug}/memberships",
    } <= paths
