"""Menu entries of the evaluation, the rankings and the zone (core/menu.py adds them to the sidebar)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.access import ScopeKind, scope_of

from .access import can_manage_evaluation, is_staff_viewer


def _enterprise(user) -> bool:
    return scope_of(user).kind == ScopeKind.ENTERPRISE


def _appointments(user) -> bool:
    return _enterprise(user) or scope_of(user).kind == ScopeKind.DEPARTMENT or can_manage_evaluation(user)


# (label, URL name, icon, who sees it)
EVALUATION_MENU = (
    (_("Enterprise zone"), "zone-mine", "qr-code", _enterprise),
    (_("My evaluation"), "evaluation-mine", "speedometer2", _enterprise),
    (_("Per-mu evaluation"), "evaluation-home", "speedometer2", is_staff_viewer),
    (_("Rankings"), "evaluation-rankings", "trophy", lambda user: True),
    (_("Appointments"), "appointments-list", "calendar-check", _appointments),
    (_("Enterprise code sheets"), "zone-sheet", "qr-code", is_staff_viewer),
    (_("Zone module usage"), "zone-usage", "bar-chart", can_manage_evaluation),
)
