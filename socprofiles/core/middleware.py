"""Requests no part of the platform can take: an address or query with a NUL character
(PostgreSQL cannot store or even compare text holding one, so a lookup by such a value
would fail at the database) is refused with a plain 400 before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                "The address contains a NUL character, which no page or API operation takes.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
