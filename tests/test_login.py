"""Logging in: the form, lockout after repeated failures, the login log, password policy, idle timeout, home pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import LoginLog

from .factories import PASSWORD

pytestmark = pytest.mark.django_db

OFFICE_IP = "10.20.30.40"
LOGIN_URL = "/accounts/login/"


def log_in(client, username: str, password: str, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=OFFICE_IP, **extra)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def events(username: str) -> list[tuple[str, str | None]]:
    return [(e.event, e.ip_address) for e in LoginLog.objects.filter(username=username).order_by("id")]


# --- The login form ---------------------------------------------------------------


def test_login_page_shows_the_form(client):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="username"' in page
    assert 'name="password"' in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_pages_are_in_simplified_chinese_unless_the_browser_asks_otherwise(client):
    assert client.get(LOGIN_URL)["Content-Language"] == "zh-hans"
    assert client.get(LOGIN_URL, HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"


def test_right_password_logs_in_and_is_logged_with_the_ip(client, zhouxiang_clerk):
    response = log_in(client, "zx_window", PASSWORD, HTTP_USER_AGENT="Mozilla/5.0 QifuTest")

    assert response.status_code == 302
    assert response.url == reverse("accounts-home")
    assert is_logged_in(client)
    assert events("zx_window") == [(LoginLog.Event.LOGIN, OFFICE_IP)]
    entry = LoginLog.objects.get(username="zx_window")
    assert entry.user == zhouxiang_clerk
    assert entry.user_agent == "Mozilla/5.0 QifuTest"


def test_wrong_password_is_refused_and_logged(client, zhouxiang_clerk, in_english):
    response = log_in(client, "zx_window", "wrong-password")

    assert response.status_code == 200
    assert not is_logged_in(client)
    assert "After 5 failed attempts the account is locked for a while." in response.content.decode()
    assert events("zx_window") == [(LoginLog.Event.FAILED, OFFICE_IP)]
    assert LoginLog.objects.get(username="zx_window").user == zhouxiang_clerk


def test_logout_is_logged(client, zhouxiang_clerk):
    log_in(client, "zx_window", PASSWORD)

    client.post(reverse("accounts-logout"), REMOTE_ADDR=OFFICE_IP)

    assert not is_logged_in(client)
    assert events("zx_window") == [(LoginLog.Event.LOGIN, OFFICE_IP), (LoginLog.Event.LOGOUT, OFFICE_IP)]


# --- Lockout (django-axes) -------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(client, zhouxiang_clerk, in_english):
    assert django_settings.AXES_FAILURE_LIMIT == 5

    # Given four wrong passwords, the form still answers normally
    for _attempt in range(4):
        assert log_in(client, "zx_window", "wrong-password").status_code == 200

    # When the fifth is wrong too, the lockout page is shown
    fifth = log_in(client, "zx_window", "wrong-password")
    assert fifth.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in fifth.templates]

    # Then even the right password is refused with the lockout page
    right = log_in(client, "zx_window", PASSWORD)
    assert right.status_code == 429
    assert 'id="locked-out"' in right.content.decode()
    assert not is_logged_in(client)

    # And the login log shows the failures and the lockout, all with the office IP
    logged = events("zx_window")
    assert logged.count((LoginLog.Event.FAILED, OFFICE_IP)) >= 5
    assert (LoginLog.Event.LOCKED, OFFICE_IP) in logged
    assert (LoginLog.Event.LOGIN, OFFICE_IP) not in logged


def test_the_lock_is_per_account_not_per_office(client, zhouxiang_clerk, longshan_clerk):
    for _attempt in range(5):
        log_in(client, "zx_window", "wrong-password")

    # A colleague behind the same NAT address can still log in
    response = log_in(client, "ls_window", PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_a_successful_login_resets_the_failure_count(client, zhouxiang_clerk):
    for _attempt in range(4):
        log_in(client, "zx_window", "wrong-password")
    assert log_in(client, "zx_window", PASSWORD).status_code == 302
    client.logout()

    for _attempt in range(4):
        log_in(client, "zx_window", "wrong-password")

    assert log_in(client, "zx_window", PASSWORD).status_code == 302


# --- Password policy ---------------------------------------------------------------------


def rejection_codes(password: str, user=None) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user=user)
    return {error.code for error in caught.value.error_list}


def test_letters_only_password_is_rejected():
    assert "password_character_classes" in rejection_codes("abcdefghij")


def test_digits_and_letters_without_a_symbol_are_rejected():
    assert "password_character_classes" in rejection_codes("1234567890aa")


def test_short_password_is_rejected():
    assert "password_too_short" in rejection_codes("Ab1!xyz")


def test_password_like_the_user_name_is_rejected(zhouxiang_clerk):
    assert "password_too_similar" in rejection_codes("zx_window1!", user=zhouxiang_clerk)


def test_a_long_mixed_password_is_accepted(zhouxiang_clerk):
    validate_password("Zhouxiang-window-2024#", user=zhouxiang_clerk)


# --- Idle timeout ------------------------------------------------------------------------------


def test_idle_timeout_settings():
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    assert django_settings.SESSION_TOUCH_SECONDS == 60


def stored_session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_every_request_pushes_the_idle_deadline_back(client, zhouxiang_clerk):
    client.force_login(zhouxiang_clerk)
    session = stored_session(client)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + dt.timedelta(seconds=60))

    assert client.get(reverse("accounts-home")).status_code == 200

    remaining = stored_session(client).expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)


def test_requests_within_a_minute_do_not_write_the_session_again(client, zhouxiang_clerk):
    client.force_login(zhouxiang_clerk)
    assert client.get(reverse("accounts-home")).status_code == 200
    touched = stored_session(client).expire_date
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=touched - dt.timedelta(seconds=30))

    assert client.get(reverse("accounts-home")).status_code == 200

    assert stored_session(client).expire_date == touched - dt.timedelta(seconds=30)


def test_a_request_after_the_touch_period_pushes_the_deadline_again(client, zhouxiang_clerk, settings):
    client.force_login(zhouxiang_clerk)
    assert client.get(reverse("accounts-home")).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(seconds=60))
    settings.SESSION_TOUCH_SECONDS = 0

    assert client.get(reverse("accounts-home")).status_code == 200

    remaining = stored_session(client).expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)


def test_an_idle_session_has_expired(client, zhouxiang_clerk):
    client.force_login(zhouxiang_clerk)
    session = stored_session(client)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - dt.timedelta(seconds=1))

    response = client.get(reverse("enterprises-list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts-login"))


# --- Each role's home ------------------------------------------------------------------------------


def home_role(response) -> str:
    tag = re.search(r'<[^>]*\bid="role-home"[^>]*>', response.content.decode())
    assert tag, "the home page has no #role-home element"
    return re.search(r'data-role="([^"]*)"', tag.group(0)).group(1)


@pytest.mark.parametrize(
    ("persona", "role"),
    [
        ("zhouxiang_clerk", "window_staff"),
        ("platform_clerk", "window_staff"),
        ("department_handler", "department_handler"),
        ("supervisor", "supervisor"),
        ("system_admin", "system_admin"),
        ("superuser", "system_admin"),
        ("outsider", "none"),
    ],
)
def test_each_role_lands_on_its_home_page(client, request, persona, role):
    client.force_login(request.getfixturevalue(persona))

    response = client.get("/")

    assert response.status_code == 200
    assert home_role(response) == role


def test_enterprise_contact_lands_on_their_enterprise(client, hongda_contact):
    response = log_in(client, "hongda_wang", PASSWORD, follow=True)

    assert response.redirect_chain[-1][0] == reverse("enterprises-mine")
    assert response.status_code == 200
    assert response.context["enterprise"] == hongda_contact.enterprise


def test_a_town_clerks_home_counts_only_their_town(client, zhouxiang_clerk, hongda, longteng):
    client.force_login(zhouxiang_clerk)

    assert client.get("/").context["enterprise_count"] == 1


def test_an_anonymous_visitor_is_asked_to_log_in(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)
