"""The JSON API at /api/: token authentication for service accounts, the signed-in
session (with CSRF) for people, the same permission rules as the pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer, SessionAuth

from socprofiles.accounts.api import router as accounts_router
from socprofiles.accounts.permissions import is_signed_in
from socprofiles.accounts.services import api_token_authenticate
from socprofiles.actions.api import router as actions_router
from socprofiles.analysis.api import router as analysis_router
from socprofiles.core.exceptions import ServiceError
from socprofiles.datasets.api import router as datasets_router
from socprofiles.gain.api import router as gain_router
from socprofiles.morile.api import router as morile_router
from socprofiles.ocgs.api import router as ocgs_router
from socprofiles.profiles.api import router as profiles_router
from socprofiles.referrals.api import router as referrals_router
from socprofiles.selfassessment.api import router as selfassessment_router
from socprofiles.sharing.api import router as sharing_router


class ServiceToken(HttpBearer):
    """`Authorization: Bearer socp_…` for service accounts."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(key=token)
        if user is not None:
            request.user = user
        return user


class SignedInSession(SessionAuth):
    """A browser session that has passed two-factor authentication."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        return user if is_signed_in(user) else None


def signed_in_required(view: Any) -> Any:
    """The schema and its documentation are for signed-in people (and never for someone
    half-way through signing in)."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_signed_in(request.user):
            return redirect_to_login(request.get_full_path(), "accounts:two_factor_verify")
        response: HttpResponse = view(request, *args, **kwargs)
        return response

    return wrapped


class StrictJSON(Parser):
    """JSON bodies whose text can be stored: an escaped lone surrogate ("\\ud800") is
    valid JSON but not valid Unicode text, and "\\u0000" is text PostgreSQL cannot hold;
    either would fail at the database."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        if b"\\u" not in request.body:  # both can only arrive as a \u escape
            return data
        stack: list[Any] = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, str):
                if "\x00" in item:
                    raise ValidationError(
                        [{"loc": ["body"], "type": "value_error",
                          "msg": "text with a NUL character cannot be stored"}]
                    )  # fmt: skip
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    raise ValidationError(
                        [{"loc": ["body"], "type": "value_error",
                          "msg": "text with an unpaired surrogate escape is not valid text"}]
                    ) from None  # fmt: skip
        return data


api = NinjaAPI(
    title="SOC Partnership Platform API",
    version="1",
    description=(
        "Organisations, areas, partnerships and memberships. Service accounts send "
        "`Authorization: Bearer <token>`; signed-in people use their session and the CSRF "
        "token. Anything you may not see answers 404."
    ),
    auth=[ServiceToken(), SignedInSession(csrf=True)],
    parser=StrictJSON(),
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_decorator=signed_in_required,
)


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=400)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": "You do not have permission to do that."}, status=403
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Send a valid API token, or sign in with two-factor authentication."},
        status=401,
    )


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "The request is not valid.", "errors": exc.errors}, status=422
    )


api.add_router("/", accounts_router)
api.add_router("/", datasets_router)
api.add_router("/", morile_router)
api.add_router("/", analysis_router)
api.add_router("/", profiles_router)
api.add_router("/", sharing_router)
api.add_router("/", actions_router)
api.add_router("/", ocgs_router)
api.add_router("/", gain_router)
api.add_router("/", selfassessment_router)
api.add_router("/", referrals_router)
