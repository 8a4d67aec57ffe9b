"""Data sets through the pages and the API, as each persona sees them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import World, sign_in
from socprofiles.accounts import services as account_services
from socprofiles.accounts.models import PartnershipMembership
from socprofiles.accounts.tests.factories import UserFactory
from socprofiles.audit.models import AuditEvent
from socprofiles.core.exceptions import ServiceError
from socprofiles.datasets import services
from socprofiles.datasets.models import Clearance, DataFile, DataSet, FeedRecord, FileStatus

from .conftest import FIXTURES

COUNTS = b"Area code,Indicator,Value\nE06000047,Troubled families engaged,1204\n"


def _upload(client: Client, dataset: DataSet, content: bytes = COUNTS, name: str = "counts.csv"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/datasets/{dataset.pk}/upload/",
        {"file": SimpleUploadedFile(name, content), "max_rejected": "0"},
    )


def test_a_member_uploads_their_organisations_data_and_follows_the_import(
    world: World, client_for
) -> None:  # type: ignore[no-untyped-def]
    member = client_for("member")
    response = _upload(member, world.dataset)
    assert response.status_code == 302
    data_file = DataFile.objects.exclude(pk=world.data_file.pk).get()
    assert response["Location"] == data_file.get_absolute_url()
    assert data_file.status == FileStatus.IMPORTED  # the test task backend runs at once
    page = member.get(data_file.get_absolute_url())
    assert b"1 of 1 rows imported" in page.content
    progress = member.get(f"/datasets/files/{data_file.pk}/progress/")
    assert progress["HX-Refresh"] == "true"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"dataset.file_queued", "dataset.file_imported"} <= actions


def test_a_refused_upload_shows_its_report(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    member = client_for("member")
    _upload(member, world.dataset, b"Area code,Indicator,Value\nnot-a-code,Families,3\n")
    data_file = DataFile.objects.exclude(pk=world.data_file.pk).get()
    assert data_file.status == FileStatus.REFUSED
    page = member.get(data_file.get_absolute_url()).content.decode()
    assert "The file was not imported" in page
    assert "an ONS area code like E06000047" in page
    assert not FeedRecord.objects.exists()


def test_a_binary_upload_is_refused_with_a_message(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    _upload(client_for("member"), world.dataset, b"\x89PNG\r\n\x1a\n" + bytes(200), "photo.csv")
    data_file = DataFile.objects.exclude(pk=world.data_file.pk).get()
    assert data_file.status == FileStatus.REFUSED
    assert "this is a PNG image, not a CSV or .xlsx file" in data_file.message


@pytest.mark.parametrize(
    ("persona", "status"), [("reader", 403), ("outsider", 404), ("admin", 404)]
)
def test_who_may_not_upload(world: World, client_for, persona: str, status: int) -> None:  # type: ignore[no-untyped-def]
    assert _upload(client_for(persona), world.dataset).status_code == status
    assert DataFile.objects.count() == 1


def test_a_member_of_another_organisation_may_not_upload(world: World) -> None:
    police_member = UserFactory(organisation=world.force)
    PartnershipMembership.objects.create(
        partnership=world.partnership, user=police_member, role="member"
    )
    assert _upload(sign_in(Client(), police_member), world.dataset).status_code == 403


def test_registering_a_data_set(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    member = client_for("member")
    url = f"/partnerships/{world.partnership.slug}/datasets/new/"
    form = member.get(url).content.decode()
    assert "Test Council" in form and "Test Constabulary" not in form  # own organisation only
    response = member.post(
        url,
        {
            "kind": "feed:licensed_premises",
            "owner": world.council.pk,
            "title": "Licensed premises register",
            "classification": "OFFICIAL-SENSITIVE",
            "handling_note": "",
            "visibility": "partnership",
        },
    )
    assert response.status_code == 200
    assert b"needs a handling note" in response.content
    response = member.post(
        url,
        {
            "kind": "feed:licensed_premises",
            "owner": world.council.pk,
            "title": "Licensed premises register",
            "classification": "OFFICIAL-SENSITIVE",
            "handling_note": "Partnership members only; do not forward.",
            "visibility": "partnership",
        },
    )
    created = DataSet.objects.get(title="Licensed premises register")
    assert response["Location"] == created.get_absolute_url()
    assert created.feed == "licensed_premises" and created.owner == world.council
    detail = member.get(created.get_absolute_url()).content.decode()
    assert detail.count('data-classification="OFFICIAL-SENSITIVE"') == 2
    assert "Partnership members only; do not forward." in detail


def test_secret_material_is_refused(world: World) -> None:
    with pytest.raises(ServiceError, match="not accredited for SECRET"):
        services.dataset_create(
            actor=world.owner,
            partnership=world.partnership,
            owner=world.council,
            kind="feed",
            feed="counts_by_area",
            title="Source reporting",
            classification="SECRET",
        )


def test_visibility_limits_who_sees_a_data_set(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    world.dataset.visibility = "owning_organisation"
    world.dataset.save()
    url = world.dataset.get_absolute_url()
    assert client_for("member").get(url).status_code == 200  # the owning council
    assert client_for("reader").get(url).status_code == 200  # also the council
    assert client_for("owner").get(url).status_code == 200  # the profile owner
    assert client_for("analyst").get(url).status_code == 404
    listing = client_for("analyst").get(f"/partnerships/{world.partnership.slug}/datasets/")
    assert world.dataset.title.encode() not in listing.content


def test_clearance_for_publication(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    url = f"/datasets/{world.dataset.pk}/clearance/"
    assert client_for("reader").post(url + "request/", {"note": "x"}).status_code == 403
    client_for("analyst").post(url + "request/", {"note": "Used in the NRM section"})
    world.dataset.refresh_from_db()
    assert world.dataset.clearance == Clearance.REQUESTED
    # Only the owning organisation decides; the profile's authors cannot clear it themselves.
    assert client_for("analyst").post(url + "decision/", {"decision": "cleared"}).status_code == 403
    refused = client_for("member").post(url + "decision/", {"decision": "refused", "note": ""})
    assert refused.status_code == 400
    assert b"Say why the data cannot be published." in refused.content
    client_for("member").post(url + "decision/", {"decision": "cleared", "note": ""})
    world.dataset.refresh_from_db()
    assert world.dataset.clearance == Clearance.CLEARED
    assert world.dataset.clearance_by == world.member
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "dataset.clearance_requested" in actions and "dataset.cleared" in actions


def test_deleting_a_file_removes_its_records(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    member = client_for("member")
    _upload(member, world.dataset)
    data_file = DataFile.objects.exclude(pk=world.data_file.pk).get()
    assert FeedRecord.objects.filter(data_file=data_file).count() == 1
    assert client_for("reader").post(f"/datasets/files/{data_file.pk}/delete/").status_code == 403
    member.post(f"/datasets/files/{data_file.pk}/delete/")
    assert not DataFile.objects.filter(pk=data_file.pk).exists()
    assert not FeedRecord.objects.filter(dataset=world.dataset).exists()
    assert AuditEvent.objects.filter(action="dataset.file_deleted").exists()


def test_a_partner_system_pushes_its_feed_through_the_api(world: World) -> None:
    system = UserFactory(
        username="svc.council", organisation=world.council, is_service_account=True
    )
    key = account_services.api_token_create(actor=None, user=system, name="feed").key
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = client.post(
        f"/api/datasets/{world.dataset.pk}/files",
        {"file": SimpleUploadedFile("ocg.csv", (FIXTURES / "counts_by_area.csv").read_bytes())},
    )
    assert response.status_code == 202, response.content
    file_id = response.json()["id"]
    status = client.get(f"/api/files/{file_id}").json()
    assert status["status"] == "imported" and status["imported"] == 3
    visible = {d["id"] for d in client.get("/api/datasets").json()}
    assert visible == {str(world.dataset.pk), str(world.reference.pk)}  # its own, and public data
    other = UserFactory(username="svc.other", organisation=world.force, is_service_account=True)
    other_key = account_services.api_token_create(actor=None, user=other, name="feed").key
    denied = Client(HTTP_AUTHORIZATION=f"Bearer {other_key}").post(
        f"/api/datasets/{world.dataset.pk}/files", {"file": SimpleUploadedFile("x.csv", COUNTS)}
    )
    assert denied.status_code == 404


def test_services_refuse_what_permissions_refuse(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.dataset_create(
            actor=world.reader,
            partnership=world.partnership,
            owner=world.council,
            kind="feed",
            feed="counts_by_area",
            title="x",
        )
    with pytest.raises(PermissionDenied):
        services.data_file_register(
            actor=world.outsider, dataset=world.dataset, path=FIXTURES / "counts_by_area.csv",
            original_name="c.csv",
        )  # fmt: skip
    with pytest.raises(ServiceError, match="not a member of"):
        services.dataset_create(
            actor=world.owner,
            partnership=world.partnership,
            owner=world.other_partnership.lead_organisation,
            kind="feed",
            feed="counts_by_area",
            title="x",
        )


def test_a_stopped_import_is_said_to_have_stopped(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.utils import timezone

    stuck = DataFile.objects.create(
        dataset=world.dataset,
        original_name="stuck.csv",
        status=FileStatus.RUNNING,
        started_at=timezone.now() - timedelta(hours=2),
    )
    page = client_for("member").get(stuck.get_absolute_url()).content.decode()
    assert "has probably stopped" in page
    assert "every 1s" in page  # still polled, in case it was only slow
