"""The Local Profile's lifecycle with the personas: guarded transitions with clear
refusals, consultation and override, immutable numbered versions, new drafts, comparison,
review dates and the scheduled reminder, and who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conftest import COMMISSIONING, World
from socprofiles.audit.models import AuditEvent
from socprofiles.audit.services import audit_chain_verify
from socprofiles.core.exceptions import ServiceError
from socprofiles.profiles import selectors, services
from socprofiles.profiles.models import (
    Profile,
    ProfileVersion,
    Stage,
    VersionImmutable,
)
from socprofiles.profiles.sections import SECTIONS

pytestmark = pytest.mark.django_db


def _new(world: World, **record: str) -> Profile:
    return services.profile_commission(
        actor=world.owner, partnership=world.partnership, title="Local Profile 2027",
        period_start="2022-01", period_end="2022-06", commissioning=record,
    )  # fmt: skip


def _to_consultation(world: World, profile: Profile, *, with_council_data: bool) -> Profile:
    profile = services.profile_transition(
        actor=world.owner, profile=profile, action="start_production"
    )
    summary = profile.sections.get(key="summary")
    services.section_update(actor=world.analyst, section=summary, narrative="The key findings.")
    if with_council_data:
        drivers = profile.sections.get(key="drivers")
        services.section_update(
            actor=world.analyst, section=drivers, narrative="Council data show exclusion.",
            extra_sources=[world.dataset],
        )  # fmt: skip
    return services.profile_transition(
        actor=world.analyst, profile=profile, action="send_to_consultation"
    )


def test_commissioning_makes_every_section_of_the_guide(world: World) -> None:
    profile = _new(world, **COMMISSIONING)
    assert profile.stage == Stage.COMMISSIONING
    assert [s.key for s in profile.sections.all()] == [s.key for s in SECTIONS]
    titles = {s.title for s in profile.sections.all()}
    assert {"Summary", "Drugs", "Criminal markets and how threats interrelate",
            "Priority locations and vulnerabilities", "Recommendations"} <= titles  # fmt: skip
    assert profile.owner == world.owner  # the partnership's police lead
    assert AuditEvent.objects.filter(action="profile.commissioned").count() == 2  # + world's


def test_production_waits_for_a_complete_commissioning_record(world: World) -> None:
    profile = _new(world, partners_and_needs="Police and council.")
    with pytest.raises(ServiceError) as refused:
        services.profile_transition(actor=world.owner, profile=profile, action="start_production")
    assert "Complete the commissioning record first" in refused.value.message
    assert "Retention" in refused.value.message and "Partners involved" not in refused.value.message
    services.profile_update_commissioning(
        actor=world.analyst, profile=profile, values=COMMISSIONING
    )
    profile = services.profile_transition(
        actor=world.owner, profile=profile, action="start_production"
    )
    assert profile.stage == Stage.PRODUCING


@pytest.mark.parametrize(
    ("stage", "action"),
    [
        (Stage.COMMISSIONING, "publish"),
        (Stage.COMMISSIONING, "send_to_consultation"),
        (Stage.PRODUCING, "publish"),
        (Stage.PRODUCING, "start_delivery"),
        (Stage.PUBLISHED, "send_to_consultation"),
        (Stage.DELIVERING, "publish"),
        (Stage.REVIEW_DUE, "start_delivery"),
    ],
)
def test_illegal_transitions_are_refused_with_what_can_happen_next(
    world: World, stage: str, action: str
) -> None:
    profile = _new(world, **COMMISSIONING)
    Profile.objects.filter(pk=profile.pk).update(stage=stage)
    profile.refresh_from_db()
    with pytest.raises(ServiceError) as refused:
        services.profile_transition(actor=world.owner, profile=profile, action=action)
    message = refused.value.message
    assert "is not possible while the profile is in" in message
    assert "From here you can:" in message
    profile.refresh_from_db()
    assert profile.stage == stage  # nothing changed
    assert not AuditEvent.objects.filter(action=f"profile.{action}", object_id=str(profile.pk))


def test_an_unknown_step_is_refused(world: World) -> None:
    with pytest.raises(ServiceError):
        services.profile_transition(actor=world.owner, profile=world.profile, action="skip")


def test_consultation_blocks_publication_until_the_partner_clears(world: World) -> None:
    profile = _to_consultation(world, _new(world, **COMMISSIONING), with_council_data=True)
    clearance = profile.clearances.get()
    assert clearance.organisation == world.council
    assert clearance.sections == ["Drivers and pathways into serious and organised crime"]
    with pytest.raises(ServiceError) as refused:
        services.profile_transition(actor=world.owner, profile=profile, action="publish")
    assert "Test Council (awaiting decision)" in refused.value.message
    # Only the council's own people decide; the police analyst cannot clear for them.
    with pytest.raises(PermissionDenied):
        services.clearance_decide(actor=world.analyst, clearance=clearance, cleared=True)
    # Refusing needs a reason.
    with pytest.raises(ServiceError):
        services.clearance_decide(actor=world.member, clearance=clearance, cleared=False)
    services.clearance_decide(actor=world.member, clearance=clearance, cleared=True, note="OK")
    profile = services.profile_transition(actor=world.owner, profile=profile, action="publish")
    assert profile.stage == Stage.PUBLISHED
    version = profile.versions.get()
    assert version.number == 1 and version.classification == "OFFICIAL"
    assert version.owner_name == world.owner.display_name
    assert version.content["clearances"][0]["status"] == "Cleared"


def test_the_owner_may_override_a_missing_clearance_with_a_reason(world: World) -> None:
    profile = _to_consultation(world, _new(world, **COMMISSIONING), with_council_data=True)
    clearance = profile.clearances.get()
    services.clearance_decide(
        actor=world.member, clearance=clearance, cleared=False, note="Not yet: numbers are small."
    )
    with pytest.raises(PermissionDenied):  # authors cannot override
        services.clearance_override(actor=world.analyst, profile=profile, reason="Deadline today")
    with pytest.raises(ServiceError):  # a reason is needed
        services.clearance_override(actor=world.owner, profile=profile, reason="")
    services.clearance_override(
        actor=world.owner, profile=profile, reason="Board deadline; council figures suppressed."
    )
    profile = services.profile_transition(actor=world.owner, profile=profile, action="publish")
    version = profile.versions.get()
    assert version.override_reason.startswith("Board deadline")
    event = AuditEvent.objects.get(action="profile.clearance_override")
    assert event.detail["without"] == ["Test Council"]


def test_versions_are_immutable_and_later_edits_start_a_new_draft(world: World) -> None:
    profile = world.profile  # version 1 published, a new draft in production
    version = profile.versions.get(number=1)
    version.content["title"] = "tampered"
    with pytest.raises(VersionImmutable):
        version.save()
    with pytest.raises(VersionImmutable):
        version.delete()
    services.section_update(
        actor=world.analyst, section=profile.sections.get(key="summary"),
        narrative="<p>A new finding.</p><script>alert(1)</script>",
    )  # fmt: skip
    assert ProfileVersion.objects.get(pk=version.pk).content["sections"][0]["narrative"] == (
        "<p>Drug supply links the other threats.</p>"
    )
    profile = services.profile_transition(
        actor=world.analyst, profile=profile, action="send_to_consultation"
    )
    profile = services.profile_transition(actor=world.owner, profile=profile, action="publish")
    assert list(profile.versions.values_list("number", flat=True)) == [2, 1]
    summary = profile.versions.get(number=2).content["sections"][0]
    assert summary["narrative"] == "<p>A new finding.</p>"  # the script is gone


def test_a_published_profile_cannot_be_edited_until_a_review_starts(world: World) -> None:
    profile = _to_consultation(world, _new(world, **COMMISSIONING), with_council_data=False)
    assert not profile.clearances.exists()  # no partner data used: nothing to clear
    profile = services.profile_transition(actor=world.owner, profile=profile, action="publish")
    with pytest.raises(PermissionDenied):
        services.section_update(
            actor=world.analyst, section=profile.sections.get(key="summary"), narrative="x"
        )


def test_compare_versions_section_by_section(world: World, client_for: Any) -> None:
    profile = world.profile
    services.section_update(
        actor=world.analyst, section=profile.sections.get(key="summary"), narrative="Changed."
    )
    page = client_for("analyst").get(
        reverse("profiles:compare", args=[profile.pk]) + "?from=1&to=draft"
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "<del>-Drug supply links the other threats.</del>" in text
    assert "<ins>+Changed.</ins>" in text
    # The summary changed, and so did the delivery section: the world's action plan began
    # after version 1 was published.
    assert text.count("unchanged") == len(SECTIONS) - 2
    assert "<ins>+[table] The action plan by strand and status</ins>" in text


def test_delivery_sets_the_review_date_and_the_scheduled_task_reminds(world: World) -> None:
    profile = _to_consultation(world, _new(world, **COMMISSIONING), with_council_data=False)
    profile = services.profile_transition(actor=world.owner, profile=profile, action="publish")
    with time_machine.travel(dt.datetime(2027, 1, 31, 9, tzinfo=dt.UTC), tick=False):
        profile = services.profile_transition(
            actor=world.owner, profile=profile, action="start_delivery"
        )
    assert profile.delivered_on == dt.date(2027, 1, 31)
    assert profile.review_due_on == dt.date(2028, 1, 31)
    assert services.review_reminders(today=dt.date(2027, 12, 1)) == {
        "marked_review_due": 0, "reminded": 0,
    }  # fmt: skip
    assert selectors.review_state(profile, today=dt.date(2027, 12, 15)) == "due"
    assert services.review_reminders(today=dt.date(2028, 2, 1)) == {
        "marked_review_due": 1, "reminded": 1,
    }  # fmt: skip
    profile.refresh_from_db()
    assert profile.stage == Stage.REVIEW_DUE
    assert selectors.review_state(profile, today=dt.date(2028, 2, 1)) == "overdue"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.owner.email]
    assert "Local Profile 2027" in mail.outbox[0].subject
    # Not again within the week; again after it.
    assert services.review_reminders(today=dt.date(2028, 2, 5))["reminded"] == 0
    assert services.review_reminders(today=dt.date(2028, 2, 9))["reminded"] == 1
    assert AuditEvent.objects.filter(action="profile.review_reminder_sent").count() == 2
    # The review is a new draft.
    profile = services.profile_transition(actor=world.owner, profile=profile, action="start_review")
    assert profile.stage == Stage.PRODUCING
    assert audit_chain_verify().ok


def test_the_scheduled_task_runs_through_the_tasks_api(world: World) -> None:
    from django.core.management import call_command

    profile = _to_consultation(world, _new(world, **COMMISSIONING), with_council_data=False)
    for action in ("publish", "start_delivery"):
        profile = services.profile_transition(actor=world.owner, profile=profile, action=action)
    Profile.objects.filter(pk=profile.pk).update(review_due_on=dt.date(2020, 1, 1))
    call_command("run_scheduled", verbosity=0)  # tests run tasks at once
    profile.refresh_from_db()
    assert profile.stage == Stage.REVIEW_DUE and profile.last_reminded_on is not None


def test_readers_read_published_versions_but_cannot_edit(world: World, client_for: Any) -> None:
    profile = world.profile
    reader = client_for("reader")
    assert reader.get(reverse("profiles:version_detail", args=[profile.pk, 1])).status_code == 200
    assert reader.get(reverse("profiles:draft", args=[profile.pk])).status_code == 404
    url = reverse("profiles:section_edit", args=[profile.pk, "summary"])
    assert reader.post(url, {"narrative": "mine now"}).status_code == 403
    assert (
        reader.post(
            reverse("profiles:transition", args=[profile.pk, "send_to_consultation"])
        ).status_code
        == 403
    )
    assert profile.sections.get(key="summary").narrative.startswith("<p>Drug supply")


def test_outsiders_get_404_everywhere(world: World, client_for: Any) -> None:
    profile = world.profile
    outsider = client_for("outsider")
    for url in (
        reverse("profiles:profile_detail", args=[profile.pk]),
        reverse("profiles:version_detail", args=[profile.pk, 1]),
        reverse("profiles:download", args=[profile.pk, "1", "pdf"]),
        reverse("profiles:partnership_profiles", args=[world.partnership.slug]),
    ):
        assert outsider.get(url).status_code == 404
    response = outsider.post(reverse("profiles:transition", args=[profile.pk, "publish"]))
    assert response.status_code == 404
    api = outsider.get(f"/api/profiles/{profile.pk}")
    assert api.status_code == 404 and "Testshire" not in api.content.decode()


def test_pages_take_the_owner_through_the_lifecycle(world: World, client_for: Any) -> None:
    owner = client_for("owner")
    url = reverse("profiles:partnership_profiles", args=[world.partnership.slug])
    form = {"title": "Page profile", "period_start": "2022-01", "period_end": "2022-03",
            "classification": "OFFICIAL", **COMMISSIONING}  # fmt: skip
    response = owner.post(url, form)
    assert response.status_code == 302
    profile = Profile.objects.get(title="Page profile")
    bad = owner.post(reverse("profiles:transition", args=[profile.pk, "publish"]), follow=True)
    assert "is not possible while the profile is in commissioning" in bad.content.decode()
    owner.post(reverse("profiles:transition", args=[profile.pk, "start_production"]))
    profile.refresh_from_db()
    assert profile.stage == Stage.PRODUCING
    edit = reverse("profiles:section_edit", args=[profile.pk, "recommendations"])
    owner.post(edit, {"pursue": "Disrupt group A\nSeize assets", "protect": "Warn victims"})
    assert [r.text for r in profile.recommendations.filter(strand="pursue")] == [
        "Disrupt group A", "Seize assets",
    ]  # fmt: skip


def test_secret_material_is_refused(world: World) -> None:
    with pytest.raises(ServiceError) as refused:
        services.profile_commission(
            actor=world.owner, partnership=world.partnership, title="x",
            period_start="2022-01", period_end="2022-02", classification="SECRET",
        )  # fmt: skip
    assert "not accredited" in refused.value.message


def test_bad_periods_are_explained(world: World) -> None:
    with pytest.raises(ServiceError) as refused:
        services.profile_commission(
            actor=world.owner, partnership=world.partnership, title="x",
            period_start="2022-13", period_end="2022-02",
        )  # fmt: skip
    assert "YYYY-MM" in refused.value.message and refused.value.field == "period_start"
