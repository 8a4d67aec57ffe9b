"""The demo's Durham profile, built from the real data, as a document: the marking on every
page of the PDF (read back with a PDF text extractor), every page rendered by pdftoppm,
the figures, Word with the same marking, the command, and the audit of each copy."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from conftest import sign_in
from socprofiles.accounts.models import Partnership, User
from socprofiles.audit.models import AuditEvent
from socprofiles.demo import fixtures
from socprofiles.profiles.models import Profile, Stage
from socprofiles.profiles.rendering import figure_names

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_logins")]

MAPS_AND_CHARTS = 10


@pytest.fixture
def demo_logins(settings: Any) -> None:
    settings.DEMO_LOGINS_ENABLED = True


@pytest.fixture
def profile(demo_once: None) -> Profile:
    return Profile.objects.get(partnership__slug=fixtures.DEMO_SLUG)


def _pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def test_the_demo_publishes_a_durham_profile_from_the_real_data(profile: Profile) -> None:
    assert profile.stage == Stage.DELIVERING
    version = profile.versions.get()
    doc = version.content
    assert doc["area"] == "Durham Constabulary force area"
    assert doc["analysis"]["lsoas"] == 389  # County Durham and Darlington's LSOAs
    names = figure_names(doc)
    maps = [n for n in names if n.startswith("map")]
    assert len(maps) >= 4 and len(names) - len(maps) >= 6, names
    summary = doc["sections"][0]
    assert summary["blocks"][0]["text"].startswith(f"{doc['analysis']['crimes_in_period']:,}")
    sources = {s["title"] for s in summary["sources"]}
    assert any("street-level crime" in s for s in sources)
    orgs = {c["organisation"] for c in doc["clearances"]}
    assert "Durham Constabulary" in orgs and "Home Office Immigration Enforcement" in orgs


def test_the_pdf_is_marked_on_every_page_and_every_page_renders(
    profile: Profile, tmp_path: Path
) -> None:
    output = tmp_path / "profile.pdf"
    out = io.StringIO()
    call_command(
        "build_profile", "--partnership", fixtures.DEMO_SLUG, "--output", str(output),
        "--recipient", "durham.council", stdout=out,
    )  # fmt: skip
    assert "WeasyPrint" in out.getvalue() and "issued to Helen Birch" in out.getvalue()
    data = output.read_bytes()
    pages = _pdf_pages(data)
    assert len(pages) > 20
    for number, text in enumerate(pages, 1):
        assert text.count("OFFICIAL") >= 2, f"page {number} lacks its top and bottom marking"
        assert "Issued to Helen Birch" in text, f"page {number} lacks the recipient"
        assert f"Page {number} of {len(pages)}" in text
        assert "Version 1" in text and "Owner: Det Supt Alex Marsh" in text
    assert "Handling instructions" in pages[0] and "Contents" in pages[1]
    from pypdf import PdfReader

    images = sum(len(page.images) for page in PdfReader(io.BytesIO(data)).pages)
    assert images >= MAPS_AND_CHARTS
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        if os.environ.get("REQUIRE_E2E"):
            pytest.fail("pdftoppm (poppler-utils) is required here but missing")
        pytest.skip("pdftoppm is not installed (apt-get install poppler-utils)")
    subprocess.run([pdftoppm, "-r", "20", "-png", str(output), str(tmp_path / "page")],
                   check=True, timeout=300)  # fmt: skip
    rendered = sorted(tmp_path.glob("page-*.png"))
    assert len(rendered) == len(pages)
    from PIL import Image

    for path in rendered:
        with Image.open(path) as image:
            extrema = image.convert("L").getextrema()
            assert isinstance(extrema, tuple)
            low, high = float(extrema[0]), float(extrema[1])  # type: ignore[arg-type]
            assert high > 200 and low < 100, f"{path.name} is blank"


def test_word_has_the_same_marking_and_the_figures(profile: Profile, tmp_path: Path) -> None:
    from docx import Document

    output = tmp_path / "profile.docx"
    call_command("build_profile", "--partnership", fixtures.DEMO_SLUG, "--version", "1",
                 "--output", str(output), stdout=io.StringIO())  # fmt: skip
    document = Document(str(output))
    section = document.sections[0]
    header = " ".join(p.text for p in section.header.paragraphs)
    footer = " ".join(p.text for p in section.footer.paragraphs)
    assert header.startswith("OFFICIAL") and "Issued to Det Supt Alex Marsh" in header
    assert footer.startswith("OFFICIAL") and "Version 1" in footer
    assert len(document.inline_shapes) >= MAPS_AND_CHARTS
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Handling instructions" in text and "Recommendations" in text


def test_a_reader_downloads_a_copy_with_their_name_and_it_is_audited(profile: Profile) -> None:
    reader = User.objects.get(username="darlington.reader")
    client = sign_in(Client(), reader)
    response = client.get(f"/profiles/{profile.pk}/1/document.html")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "Issued to Chris Lang" in body and "OFFICIAL" in body
    event = AuditEvent.objects.filter(action="profile.downloaded").latest("seq")
    assert event.actor_username == "darlington.reader" and event.detail["format"] == "html"
    page = client.get(f"/profiles/{profile.pk}/versions/1/")
    assert page.status_code == 200
    viewed = AuditEvent.objects.filter(action="profile.viewed").latest("seq")
    assert viewed.actor_username == "darlington.reader" and viewed.detail["version"] == 1
    assert page.content.count(b"/1/figures/") >= MAPS_AND_CHARTS
    figure = client.get(f"/profiles/{profile.pk}/1/figures/map_deprivation.png")
    assert b"".join(figure.streaming_content)[:4] == b"\x89PNG"
    # The draft stays with its authors.
    assert client.get(f"/profiles/{profile.pk}/draft/").status_code == 404


def test_the_command_explains_bad_arguments(profile: Profile, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"must end in \.pdf, \.docx or \.html"):
        call_command("build_profile", "--partnership", fixtures.DEMO_SLUG,
                     "--output", str(tmp_path / "x.txt"))  # fmt: skip
    with pytest.raises(CommandError, match="no partnership"):
        call_command("build_profile", "--partnership", "nowhere", "--output", "x.pdf")
    with pytest.raises(CommandError, match="has no version 7"):
        call_command("build_profile", "--partnership", fixtures.DEMO_SLUG, "--version", "7",
                     "--output", str(tmp_path / "x.pdf"))  # fmt: skip
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_other_partnerships_see_nothing(profile: Profile) -> None:
    outsider = sign_in(Client(), User.objects.get(username="northumbria.owner"))
    assert outsider.get(f"/profiles/{profile.pk}/1/document.pdf").status_code == 404
    other = Partnership.objects.get(slug=fixtures.OTHER_SLUG)
    listing = outsider.get(f"/api/partnerships/{other.slug}/profiles").json()
    assert listing == []
