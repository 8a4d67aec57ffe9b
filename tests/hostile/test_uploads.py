"""Uploads that must be refused, through the page and the API as a person sends them:
files of the wrong type, files over the size limit, and decompression bombs. Refused means
a reason on the file's page and nothing of the file kept. (The readers' own limits are
tested on their own in socprofiles/datasets/tests/test_sources.py.)"""

from __future__ import annotations

import gzip
import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from conftest import World
from socprofiles.datasets.models import DataFile, FeedRecord, FileStatus

pytestmark = pytest.mark.django_db

HEADER = b"Area code,Indicator,Value\n"


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (64 << 20))
    return buffer.getvalue()


WRONG_FILES = {
    "a PDF": ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "not"),
    "a program named .csv": ("data.csv", b"MZ\x90\x00\x03" + bytes(range(256)) * 4, ""),
    "an image": ("map.png", b"\x89PNG\r\n\x1a\n" + bytes(200), ""),
    "HTML": ("page.html", b"<html><script>alert(1)</script></html>", ""),
    "a gzip bomb": ("bomb.csv.gz", gzip.compress(HEADER + b"0,0,0\n" * (12 << 20)), "bomb"),
    "a zip bomb workbook": ("bomb.xlsx", _zip_bomb(), "bomb"),
    "a damaged workbook": ("broken.xlsx", b"PK\x03\x04" + bytes(100), ""),
}  # fmt: skip


@override_settings(DATASET_MAX_UNCOMPRESSED_MB=32)
@pytest.mark.parametrize("what", list(WRONG_FILES))
def test_wrong_files_are_refused_and_nothing_is_kept(
    world: World, client_for: Any, what: str
) -> None:
    name, content, says = WRONG_FILES[what]
    member = client_for("member")
    response = member.post(
        f"/datasets/{world.dataset.pk}/upload/", {"file": SimpleUploadedFile(name, content)}
    )
    if response.status_code == 400:  # refused at the door: no file recorded
        assert not DataFile.objects.exclude(pk=world.data_file.pk).exists()
        return
    assert response.status_code == 302, response.content[:1000]
    data_file = DataFile.objects.exclude(pk=world.data_file.pk).get()
    assert data_file.status == FileStatus.REFUSED, (what, data_file.status, data_file.message)
    assert says.lower() in data_file.message.lower()
    assert data_file.imported == 0
    assert not FeedRecord.objects.filter(data_file=data_file).exists()
    page = member.get(data_file.get_absolute_url()).content.decode()
    assert "Refused" in page


@override_settings(DATASET_MAX_FILE_MB=1)
def test_a_file_over_the_size_limit_is_refused_at_the_door(world: World, client_for: Any) -> None:
    big = HEADER + b"E06000047,Families,3\n" * 60_000  # about 1.3 MB
    member = client_for("member")
    response = member.post(
        f"/datasets/{world.dataset.pk}/upload/", {"file": SimpleUploadedFile("big.csv", big)}
    )
    assert response.status_code == 400
    assert "the limit is 1 MB" in response.content.decode()
    assert not DataFile.objects.exclude(pk=world.data_file.pk).exists()
    api = member.post(
        f"/api/datasets/{world.dataset.pk}/files", {"file": SimpleUploadedFile("big.csv", big)}
    )
    assert api.status_code == 400, api.content[:500]
    assert not DataFile.objects.exclude(pk=world.data_file.pk).exists()


@override_settings(DATASET_MAX_UNCOMPRESSED_MB=32)
def test_a_bomb_sent_to_the_api_is_refused(world: World, client_for: Any) -> None:
    member = client_for("member")
    bomb = gzip.compress(HEADER + b"0,0,0\n" * (12 << 20))
    response = member.post(
        f"/api/datasets/{world.dataset.pk}/files", {"file": SimpleUploadedFile("b.csv.gz", bomb)}
    )
    assert response.status_code == 202, response.content[:500]
    data_file = DataFile.objects.get(pk=response.json()["id"])
    assert data_file.status == FileStatus.REFUSED
    assert "bomb" in data_file.message
    assert not FeedRecord.objects.filter(data_file=data_file).exists()
