"""Only system administrators read the logs."""

from django.http import Http404

from accounts.access import is_system_admin


def require_log_reader(user) -> None:
    """Anyone else gets the same 404 as for a page that does not exist."""
    if not is_system_admin(user):
        raise Http404("No such page.")
