"""Small helpers shared by the liaisons views."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404

from accounts.access import is_government_staff

PAGE_SIZE = 20


def require(condition: bool) -> None:
    """The same 404 as a missing page for anyone who may not use it."""
    if not condition:
        raise Http404("No such page.")


def require_staff(user) -> None:
    require(is_government_staff(user))


def error_text(error: Exception) -> str:
    return "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
