"""The operation log's actor and IP, with the same trust rule as the login log."""

from auditlog.middleware import AuditlogMiddleware

from .http import client_ip


class AuditContextMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware believes any X-Forwarded-For a client sends;
    here the header counts only behind a trusted proxy (settings.USE_X_FORWARDED_FOR)."""

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)
