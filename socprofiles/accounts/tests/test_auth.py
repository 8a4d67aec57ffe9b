"""Signing in: password, then a TOTP code; lockout; idle expiry; demo accounts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from socprofiles.accounts import services
from socprofiles.accounts.tests.factories import TEST_PASSWORD, TOTPDeviceFactory, UserFactory
from socprofiles.audit.models import AuditEvent
from socprofiles.core.exceptions import ServiceError

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _password_step(client: Client, username: str, password: str = TEST_PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, {"username": username, "password": password})


def test_first_sign_in_enrols_a_totp_device_then_reaches_home() -> None:
    user = UserFactory()
    client = Client()
    response = _password_step(client, user.username)
    assert response.status_code == 302
    # Without a second factor every page sends the person to set one up.
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
    page = client.get(reverse("accounts:two_factor_setup"))
    assert page.status_code == 200
    assert b"<svg" in page.content and b"app-qr-code" in page.content
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    with time_machine.travel(timezone.now(), tick=False) as clock:
        wrong = client.post(reverse("accounts:two_factor_setup"), {"token": "000000"})
        assert wrong.status_code == 200
        assert b"That code is not right" in wrong.content
        clock.shift(timedelta(seconds=2))  # django-otp slows guessing after a failure
        done = client.post(reverse("accounts:two_factor_setup"), {"token": _code(device)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    home = client.get("/")
    assert home.status_code == 200
    assert b"Your partnerships" in home.content
    actions = list(AuditEvent.objects.filter(actor_id=user.pk).values_list("action", flat=True))
    assert "auth.login" in actions and "auth.two_factor_enrolled" in actions


def test_returning_user_must_enter_a_code() -> None:
    device = TOTPDeviceFactory()
    client = Client()
    _password_step(client, device.user.username)
    response = client.get("/partnerships/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert "next=%2Fpartnerships%2F" in response["Location"]
    bad = client.post(reverse("accounts:two_factor_verify"), {"token": "12ab56"})
    assert b"digits only" in bad.content
    ok = client.post(
        reverse("accounts:two_factor_verify") + "?next=/partnerships/", {"token": _code(device)}
    )
    assert ok.status_code == 302 and ok["Location"] == "/partnerships/"
    assert client.get("/partnerships/").status_code == 200


def test_next_parameter_cannot_send_people_off_site() -> None:
    device = TOTPDeviceFactory()
    client = Client()
    _password_step(client, device.user.username)
    response = client.post(
        reverse("accounts:two_factor_verify") + "?next=https://evil.example/",
        {"token": _code(device)},
    )
    assert response["Location"] == "/"


def test_wrong_password_is_refused_and_audited() -> None:
    user = UserFactory()
    response = Client().post(LOGIN, {"username": user.username, "password": "wrong-password-1"})
    assert response.status_code == 200
    assert b"Enter a correct user name and password" in response.content
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.actor_username == user.username and event.actor_id is None


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_even_with_the_right_password() -> None:
    user = UserFactory()
    client = Client()
    for _ in range(3):
        client.post(LOGIN, {"username": user.username, "password": "wrong-password-1"})
    locked = _password_step(client, user.username)
    assert locked.status_code == 429
    assert b"Too many attempts to sign in" in locked.content
    # From another address too: the lockout follows the user name.
    other = Client(REMOTE_ADDR="192.0.2.77")
    assert _password_step(other, user.username).status_code == 429


def test_session_expires_after_idle_period() -> None:
    device = TOTPDeviceFactory()
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _password_step(client, device.user.username)
        client.post(reverse("accounts:two_factor_verify"), {"token": _code(device)})
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=20))
        assert client.get("/").status_code == 200  # activity pushes the expiry forward
        clock.shift(timedelta(minutes=31))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_sign_out_needs_post_and_ends_the_session() -> None:
    device = TOTPDeviceFactory()
    client = Client()
    _password_step(client, device.user.username)
    client.post(reverse("accounts:two_factor_verify"), {"token": _code(device)})
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/")["Location"].startswith(LOGIN)
    assert AuditEvent.objects.filter(action="auth.logout").exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1A!", "too short"),
        ("password1234", "too common"),
        ("738492017364", "entirely numeric"),
    ],
)
def test_password_rules(password: str, message: str) -> None:
    with pytest.raises(ServiceError) as raised:
        services.user_create(
            username="new.person",
            full_name="New Person",
            email="new@example.invalid",
            organisation=None,
            password=password,
        )
    assert message in raised.value.message


def test_demo_accounts_are_refused_when_demo_logins_are_off() -> None:
    demo = UserFactory(is_demo=True)
    response = _password_step(Client(), demo.username)
    assert response.status_code == 200
    assert b"Enter a correct user name and password" in response.content


@override_settings(DEMO_LOGINS_ENABLED=True)
def test_demo_accounts_skip_two_factor_only_while_demo_logins_are_on() -> None:
    demo = UserFactory(is_demo=True)
    client = Client()
    _password_step(client, demo.username)
    assert client.get("/").status_code == 200
    with override_settings(DEMO_LOGINS_ENABLED=False):
        # A demo session already open is cut off too: the account no longer authenticates.
        assert client.get("/")["Location"].startswith(LOGIN)


def test_service_accounts_cannot_sign_in_to_pages() -> None:
    service = UserFactory(is_service_account=True)
    service.set_password(TEST_PASSWORD)
    service.save()
    response = _password_step(Client(), service.username)
    assert response.status_code == 200
    assert b"Enter a correct user name and password" in response.content
