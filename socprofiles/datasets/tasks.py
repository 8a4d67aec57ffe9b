"""Background work for data sets (django-tasks; the database queue by default)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def import_data_file(data_file_id: int) -> dict[str, Any]:
    from django.utils import timezone

    from .ingest.pipeline import must_stop
    from .models import DataFile, FileStatus
    from .services import data_file_import

    data_file = DataFile.objects.select_related("dataset", "uploaded_by").get(pk=data_file_id)
    try:
        return data_file_import(data_file=data_file).as_json()
    except Exception as error:
        if must_stop(error):  # the worker's time limit: say so on the file, keep nothing
            DataFile.objects.filter(pk=data_file_id).update(
                status=FileStatus.FAILED,
                message=(
                    "The import took longer than the task worker allows and was stopped; "
                    "nothing was kept. Split the file, or ask the platform team to raise "
                    "the limit."
                ),
                imported=0,
                duplicates=0,
                finished_at=timezone.now(),
            )
        raise
