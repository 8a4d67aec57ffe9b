"""The demo's OCG register and joint operation: loaded once, with the force's own
nominals, and seen only by the force (and the operation by the agencies taking part)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from socprofiles.accounts.models import User
from socprofiles.demo.loader import DEMO_OCG
from socprofiles.ocgs import selectors
from socprofiles.ocgs.models import Group, JointOperation, Outcome

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_group_and_an_op_slate_style_operation() -> None:
    call_command("load_demo", force=True, stdout=None)
    counts = (Group.objects.count(), Outcome.objects.count())
    call_command("load_demo", force=True, stdout=None)
    assert (Group.objects.count(), Outcome.objects.count()) == counts  # idempotent
    group = Group.objects.get(reference=DEMO_OCG)
    assert group.organisation.name == "Durham Constabulary"
    members = selectors.members_of(group=group)
    assert len(members) == 5 and members[0].role == "principal"
    assert all(m.nominal.organisation_id == group.organisation_id for m in members)
    assert group.tactical_model == "tactical@1" and group.tactical_score is not None
    assert selectors.associations_of(group=group).count() == 5
    assert group.actions.exists()
    operation = JointOperation.objects.get(group=group)
    summary = selectors.operation_summary(operation=operation)
    assert summary["agencies"] == 4 and summary["with_results"] == 4
    assert (
        dict(zip([m for m, _l in summary["measures"]], summary["totals"], strict=True))[
            "vehicles_seized"
        ]
        == 23
    )
    with override_settings(DEMO_LOGINS_ENABLED=True):
        for username, group_page, operation_page in (
            ("durham.analyst", 200, 200), ("durham.council", 404, 200),
            ("ne.gain", 404, 404), ("northumbria.owner", 404, 404),
        ):  # fmt: skip
            client = Client()
            client.force_login(User.objects.get(username=username))
            assert client.get(group.get_absolute_url()).status_code == group_page, username
            assert client.get(operation.get_absolute_url()).status_code == operation_page
