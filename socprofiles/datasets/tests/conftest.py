"""Helpers for the data set tests: the real published files, and importing them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from socprofiles.accounts.models import Organisation, OrganisationKind, Partnership
from socprofiles.datasets import services
from socprofiles.datasets.models import DataFile, DataSet

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
STREET = SHARED / "police_uk" / "street"


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"the real data files are not at {SHARED}")
    return SHARED


@pytest.fixture
def owner(db: Any) -> Organisation:
    return Organisation.objects.create(
        name="Test Data Publisher", slug="test-publisher", kind=OrganisationKind.OTHER
    )


def make_dataset(
    kind: str,
    *,
    owner: Organisation,
    partnership: Partnership | None = None,
    feed: str = "",
    title: str = "Test data",
) -> DataSet:
    return services.dataset_create(
        actor=None, partnership=partnership, owner=owner, kind=kind, feed=feed, title=title
    )


def import_files(
    dataset: DataSet, *paths: Path, max_rejected: int = 0, **options: Any
) -> list[DataFile]:
    """Import files the way the command does (one batch) and return their records."""
    data_files = [
        services.data_file_register(
            actor=None,
            dataset=dataset,
            path=path,
            original_name=path.name,
            keep_in_place=True,
            max_rejected=max_rejected,
        )
        for path in paths
    ]
    services.data_file_import_many(data_files=data_files, **options)
    for data_file in data_files:
        data_file.refresh_from_db()
    return data_files


def import_one(dataset: DataSet, path: Path, **options: Any) -> DataFile:
    return import_files(dataset, path, **options)[0]
