"""An upload through the page is imported by the real database-backed task worker."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings

from conftest import World
from socprofiles.datasets.models import DataFile, FileStatus

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_task_worker_imports_an_uploaded_file(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    member = client_for("member")
    response = member.post(
        f"/datasets/{world.dataset.pk}/upload/",
        {"file": SimpleUploadedFile("c.csv", b"Area code,Indicator,Value\nE06000047,Families,3\n")},
    )
    assert response.status_code == 302, response.content[:2000]
    data_file = DataFile.objects.exclude(pk=world.data_file.pk).get()
    assert data_file.status == FileStatus.QUEUED  # waiting for the worker
    page = member.get(data_file.get_absolute_url()).content.decode()
    assert "every 1s" in page  # the page polls for progress
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    data_file.refresh_from_db()
    assert data_file.status == FileStatus.IMPORTED, data_file.message
    assert data_file.imported == 1
