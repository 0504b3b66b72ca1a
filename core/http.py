"""Request helpers shared by the apps."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client address; behind a trusted proxy the first X-Forwarded-For hop."""
    if getattr(settings, "USE_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None
