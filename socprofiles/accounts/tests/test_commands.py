from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from conftest import World


def test_service_account_and_token_from_the_command_line(world: World) -> None:
    call_command("service_account_create", "svc.council", "--organisation", world.council.slug)
    out = StringIO()
    call_command("api_token_create", "svc.council", "--name", "Licensing feed", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    response = Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert response.json()["is_service_account"] is True


def test_token_commands_refuse_bad_input(world: World) -> None:
    with pytest.raises(CommandError, match="no user called"):
        call_command("api_token_create", "nobody", "--name", "x")
    with pytest.raises(CommandError, match="service accounts"):
        call_command("api_token_create", "member", "--name", "x")
    with pytest.raises(CommandError, match="no organisation"):
        call_command("service_account_create", "svc.x", "--organisation", "nope")
