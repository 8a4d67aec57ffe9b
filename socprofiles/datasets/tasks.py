"""Background work for data sets (django-tasks; the database queue by default)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def import_data_file(data_file_id: int) -> dict[str, Any]:
    from .models import DataFile
    from .services import data_file_import

    data_file = DataFile.objects.select_related("dataset", "uploaded_by").get(pk=data_file_id)
    return data_file_import(data_file=data_file).as_json()
