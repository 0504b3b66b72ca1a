"""The operation log's actor and IP (same trust rule as the login log); the idle session deadline."""

import time

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings

from .http import client_ip


class AuditContextMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware believes any X-Forwarded-For a client sends;
    here the header counts only behind a trusted proxy (settings.USE_X_FORWARDED_FOR)."""

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)


class IdleSessionMiddleware:
    """Push a signed-in session's idle deadline back at most once a minute.

    Saving the session on every request (``SESSION_SAVE_EVERY_REQUEST``) costs one database
    write and commit per page; the idle timeout only needs the deadline to move while the
    user is active, so the session is saved when its last touch is older than
    ``SESSION_TOUCH_SECONDS``.  The deadline is then accurate to that many seconds.
    """

    KEY = "_touched"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        now = int(time.time())
        if now - session.get(self.KEY, 0) >= settings.SESSION_TOUCH_SECONDS:
            session[self.KEY] = now  # marks the session modified: SessionMiddleware saves it
        return response
