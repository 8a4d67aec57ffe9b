"""python manage.py import_dataset."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from conftest import World
from socprofiles.datasets.models import DataSet, FileStatus

from .conftest import FIXTURES, STREET

pytestmark = pytest.mark.django_db


def test_json_summary_is_the_last_line(shared: Path, world: World) -> None:
    out = StringIO()
    files = [STREET / "2022-01-durham-street.csv", STREET / "2022-02-durham-street.csv"]
    call_command(
        "import_dataset", "police_street", *map(str, files), "--partnership",
        world.partnership.slug, "--json", "--keep-in-place", stdout=out,
    )  # fmt: skip
    lines = out.getvalue().strip().splitlines()
    summary = json.loads(lines[-1])
    assert summary["rows_read"] == summary["imported"] == 6430 + 6028
    assert (summary["duplicates"], summary["rejected"]) == (0, 0)
    assert summary["seconds"] > 0
    dataset = DataSet.objects.get(kind="police_street")
    assert dataset.owner == world.partnership.lead_organisation
    assert dataset.partnership == world.partnership
    again = StringIO()
    call_command(
        "import_dataset", "police_street", str(files[0]), "--partnership",
        world.partnership.slug, "--json", stdout=again,
    )  # fmt: skip
    assert json.loads(again.getvalue().strip().splitlines()[-1])["duplicates"] == 6430


def test_a_feed_by_name_and_an_owner(world: World) -> None:
    out = StringIO()
    call_command(
        "import_dataset", "ocg_mapping", str(FIXTURES / "ocg_mapping.csv"), "--owner",
        world.force.slug, "--partnership", world.partnership.slug, "--json", stdout=out,
    )  # fmt: skip
    assert json.loads(out.getvalue().strip().splitlines()[-1])["imported"] == 5
    assert DataSet.objects.get(feed="ocg_mapping").owner == world.force


def test_failures_exit_with_status_1_and_say_why(world: World, tmp_path: Path) -> None:
    bad = tmp_path / "counts.csv"
    bad.write_text("Area code,Indicator,Value\nE06000047,Families,many\n")
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_dataset", "counts_by_area", str(bad), str(tmp_path / "missing.csv"),
            "--owner", world.council.slug, "--json", stdout=StringIO(), stderr=err,
        )  # fmt: skip
    assert raised.value.returncode == 1
    text = err.getvalue()
    assert "missing.csv: there is no such file." in text
    assert "row 2, column 'Value': expected a number, like 12.5 (found 'many')" in text
    created = DataSet.objects.get(feed="counts_by_area", partnership__isnull=True)
    assert created.files.get().status == FileStatus.REFUSED


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["crime_figures", "x.csv", "--owner", "x"], "is not a kind of data"),
        (["police_street", "x.csv"], "Say who owns the data"),
        (["police_street", "x.csv", "--owner", "nobody"], "There is no organisation"),
        (["police_street", "x.csv", "--partnership", "nowhere"], "There is no partnership"),
    ],
)
def test_bad_arguments(world: World, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("import_dataset", *args, stdout=StringIO(), stderr=StringIO())


def test_the_commands_files_are_recorded_as_importing_when_registered(
    shared: Path, world: World
) -> None:
    """The command registers its files as importing from then (it imports them at once):
    the import keeps that start and sends no statement of its own to record it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from socprofiles.datasets.models import DataFile

    with CaptureQueriesContext(connection) as queries:
        call_command(
            "import_dataset", "police_street", str(STREET / "2022-01-durham-street.csv"),
            "--partnership", world.partnership.slug, "--keep-in-place", stdout=StringIO(),
        )  # fmt: skip
    data_file = DataFile.objects.latest("pk")
    assert data_file.status == FileStatus.IMPORTED
    assert data_file.started_at is not None and data_file.finished_at is not None
    assert abs((data_file.started_at - data_file.created_at).total_seconds()) < 1
    assert data_file.started_at <= data_file.finished_at
    updates = [
        q["sql"] for q in queries if "UPDATE" in q["sql"] and "datasets_datafile" in q["sql"]
    ]
    assert len(updates) == 1  # the import's result, nothing before it


def test_a_file_left_running_by_a_stopped_worker_records_its_new_start(
    shared: Path, world: World
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from socprofiles.datasets import services

    from .conftest import make_dataset

    dataset = make_dataset(
        "police_street", owner=world.partnership.lead_organisation, partnership=world.partnership
    )
    long_ago = timezone.now() - timedelta(hours=3)
    (data_file,) = services.data_file_register_many(
        actor=None,
        dataset=dataset,
        files=[(STREET / "2022-01-durham-street.csv", "2022-01-durham-street.csv")],
        keep_in_place=True,
        start=True,
    )
    type(data_file).objects.filter(pk=data_file.pk).update(started_at=long_ago)
    data_file.refresh_from_db()
    services.data_file_import_many(data_files=[data_file])  # the task runs it again
    data_file.refresh_from_db()
    assert data_file.status == FileStatus.IMPORTED
    assert data_file.started_at is not None
    assert data_file.started_at > long_ago + timedelta(hours=2)
