"""Structured logs: JSON lines, the allowed fields only, personal data scrubbed."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from conftest import World
from socprofiles.core.logs import JsonFormatter, RedactFilter, redact


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("mail from jo.bloggs@example.org failed", "mail from", "jo.bloggs"),
        ("client 203.0.113.9 refused", "client", "203.0.113.9"),
        ("client 2001:db8::7 refused", "client", "2001:db8::7"),
        ("token socp_abcdefghijklmnop used", "used", "abcdefghijklmnop"),
        ("Authorization: Bearer abc.def.ghi", "Authorization", "abc.def.ghi"),
        ("DETAIL:  Key (username)=(jo.bloggs) already exists.", "DETAIL", "jo.bloggs"),
        ('CONTEXT:  COPY t, line 3, column name: "Jo Bloggs"', "CONTEXT", "Jo Bloggs"),
        ("home DH1 3HP raided", "raided", "DH1 3HP"),
    ],
)
def test_redact_scrubs_personal_data(text: str, kept: str, gone: str) -> None:
    out = redact(text)
    assert kept in out and gone not in out


def test_redact_leaves_ordinary_text_alone() -> None:
    text = "imported 6,512 rows of E01012345 in 12:30:45, version 1.2"
    assert redact(text) == text


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_line_is_json_with_the_allowed_fields_only(captured: io.StringIO) -> None:
    logging.getLogger("x").info("hello %s", "jo@example.org", extra={"status": 200, "ip": "1"})
    (line,) = _lines(captured)
    assert set(line) == {"time", "level", "logger", "pid", "message", "status"}
    assert line["message"] == "hello [email]"


@override_settings(MIDDLEWARE=["socprofiles.core.logs.RequestLogMiddleware", *settings.MIDDLEWARE])
def test_a_request_is_logged_by_route_without_user_path_or_address(
    world: World, client_for: Any, captured: io.StringIO
) -> None:
    client = client_for("owner")
    slug = world.partnership.slug
    response = client.get(
        f"/partnerships/{slug}/?q=jo.bloggs@example.org", REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 200
    client.get("/no-such-page/jo.bloggs/", REMOTE_ADDR="203.0.113.9")
    lines = _lines(captured)
    requests = [line for line in lines if line["logger"] == "socprofiles.requests"]
    assert requests[0]["route"] == "partnerships/<slug:slug>/"
    assert requests[0]["status"] == 200 and requests[0]["method"] == "GET"
    assert isinstance(requests[0]["duration_ms"], float)
    assert requests[1]["status"] == 404 and requests[1]["route"] == "(unresolved)"
    text = captured.getvalue()
    for secret in (world.owner.username, "jo.bloggs", "203.0.113.9", slug):
        assert secret not in text, f"{secret!r} leaked into the logs"


def test_an_address_with_a_nul_character_is_refused_before_any_view(client: Any) -> None:
    """PostgreSQL cannot compare text holding NUL: such an address or query never reaches
    a lookup (found by the API fuzz on PostgreSQL)."""
    assert client.get("/api/partnerships/a%00b").status_code == 400
    assert client.get("/accessibility/?q=%00").status_code == 400
    assert client.get("/accessibility/").status_code == 200
