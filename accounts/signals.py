"""Write the login log from Django's and django-axes' authentication signals."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.http import client_ip

from .models import LoginLog


def _record(event: str, request, username: str, user=None) -> None:
    LoginLog.objects.create(
        event=event,
        username=(username or "")[:150],
        user=user,
        ip_address=client_ip(request) if request is not None else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300],
    )


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    _record(LoginLog.Event.LOGIN, request, user.get_username(), user)


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        _record(LoginLog.Event.LOGOUT, request, user.get_username(), user)


@receiver(user_login_failed)
def log_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get("username", "")
    user = get_user_model().objects.filter(username=username).first()
    _record(LoginLog.Event.FAILED, request, username, user)


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    _record(LoginLog.Event.LOCKED, request, username or "")
