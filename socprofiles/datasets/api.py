"""JSON API for data sets: list and read them, push a file (partner systems use a
service account of the owning organisation), follow its import, read the feed mappings."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from . import permissions, selectors, services
from .ingest.feeds import all_feeds, describe

router = Router(tags=["Data sets"])


class DataSetOut(Schema):
    id: UUID
    title: str
    kind: str
    feed: str
    owner: str
    partnership: str | None
    classification: str
    handling_note: str
    visibility: str
    clearance: str
    period_start: date | None
    period_end: date | None
    source: str
    licence: str

    @staticmethod
    def resolve_owner(obj: Any) -> str:
        return str(obj.owner.slug)

    @staticmethod
    def resolve_partnership(obj: Any) -> str | None:
        return obj.partnership.slug if obj.partnership_id else None


class ProblemOut(Schema):
    row: int
    column: str
    value: str
    reason: str


class DataFileOut(Schema):
    id: int
    dataset: UUID
    original_name: str
    status: str
    message: str
    rows_read: int
    imported: int
    duplicates: int
    rejected: int
    out_of_area: int
    unplaced: int
    sha256: str
    created_at: datetime
    finished_at: datetime | None
    report: list[ProblemOut]

    @staticmethod
    def resolve_dataset(obj: Any) -> UUID:
        return UUID(str(obj.dataset_id))


class FeedOut(Schema):
    name: str
    title: str
    description: str
    columns: list[dict[str, Any]]


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


@router.get("/datasets", response=list[DataSetOut], summary="Data sets you may see")
def dataset_list(request: HttpRequest) -> Any:
    return selectors.datasets_for_user(user=_user(request))


@router.get("/datasets/{dataset_id}", response=DataSetOut)
def dataset_detail(request: HttpRequest, dataset_id: UUID) -> Any:
    return selectors.dataset_get_for_user(user=_user(request), pk=dataset_id)


@router.post(
    "/datasets/{dataset_id}/files",
    response={202: DataFileOut, 400: dict, 403: dict},
    summary="Send a file to a data set; it is imported in the background",
)
def dataset_file_upload(
    request: HttpRequest,
    dataset_id: UUID,
    file: File[UploadedFile],
    max_rejected: Form[int] = 0,
) -> Any:
    user = _user(request)
    dataset = selectors.dataset_get_for_user(user=user, pk=dataset_id)
    if not permissions.can_upload(user, dataset):
        raise PermissionDenied
    data_file = services.data_file_upload(
        actor=user, dataset=dataset, upload=file, max_rejected=max_rejected
    )
    return Status(202, data_file)


@router.get(
    "/files/{file_id}", response=DataFileOut, summary="A file's import: status, counts, report"
)
def file_detail(request: HttpRequest, file_id: int) -> Any:
    return selectors.data_file_get_for_user(user=_user(request), pk=file_id)


@router.get("/feeds", response=list[FeedOut], summary="The partner feed mappings")
def feed_list(request: HttpRequest) -> Any:
    return [
        {
            "name": name,
            "title": spec.label,
            "description": spec.options.get("description", ""),
            "columns": describe(spec),
        }
        for name, spec in all_feeds().items()
    ]
