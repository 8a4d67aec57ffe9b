"""The owner's audit page: search, filters, CSV export safe for spreadsheets."""

from __future__ import annotations

import csv
import io

from conftest import World
from socprofiles.accounts import services
from socprofiles.accounts.models import PartnershipMembership
from socprofiles.accounts.tests.factories import UserFactory
from socprofiles.audit.models import AuditEvent


def _activity(world: World) -> None:
    newcomer = UserFactory(organisation=world.council, full_name="=HYPERLINK(evil)")
    services.membership_add(
        actor=world.owner, partnership=world.partnership, user=newcomer, role="reader"
    )
    services.membership_change_role(
        actor=world.owner,
        membership=PartnershipMembership.objects.get(user=world.reader),
        role="member",
    )


def test_owner_searches_the_trail(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    _activity(world)
    owner = client_for("owner")
    url = f"/partnerships/{world.partnership.slug}/audit/"
    everything = owner.get(url).content.decode()
    assert "partnership.member_added" in everything
    assert "partnership.member_role_changed" in everything
    only_roles = owner.get(url, {"action": "partnership.member_role_changed"}).content.decode()
    assert "partnership.member_added</td>" not in only_roles
    assert "partnership.member_role_changed" in only_roles
    nobody = owner.get(url, {"actor": "no-such-person"}).content.decode()
    assert "No event matches." in nobody
    backwards = owner.get(url, {"date_from": "2026-02-02", "date_to": "2026-01-01"})
    assert b"The end date must be on or after the start date." in backwards.content


def test_viewing_and_exporting_the_trail_are_themselves_audited(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    owner = client_for("owner")
    owner.get(f"/partnerships/{world.partnership.slug}/audit/")
    owner.get(f"/partnerships/{world.partnership.slug}/audit.csv")
    actions = list(
        AuditEvent.objects.filter(actor_id=world.owner.pk).values_list("action", flat=True)
    )
    assert "audit.searched" in actions and "audit.exported" in actions


def test_csv_export_is_marked_named_and_formula_safe(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    _activity(world)
    response = client_for("owner").get(f"/partnerships/{world.partnership.slug}/audit.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "OFFICIAL"
    assert world.owner.display_name in rows[0][2]  # who exported it
    assert rows[1][:3] == ["Sequence", "When", "User name"]
    cells = [cell for row in rows[2:] for cell in row]
    assert not any(cell.startswith("=") for cell in cells)
    assert any("'=HYPERLINK(evil)" in cell for cell in cells)


def test_other_partnerships_events_never_appear(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    _activity(world)
    outsider = client_for("outsider")
    own = outsider.get(f"/partnerships/{world.other_partnership.slug}/audit/").content.decode()
    assert "partnership.member_added" not in own
    assert outsider.get(f"/partnerships/{world.partnership.slug}/audit/").status_code == 404
