"""Paging for the API with bounds the databases can take: an offset or limit beyond a
64-bit integer made PostgreSQL (bigint out of range) and SQLite (integer overflow) fail
with a 500; the API fuzzing found it. Out-of-range values are now a 422 like any other
invalid parameter."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
MAX_OFFSET = 2**31 - 1


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
