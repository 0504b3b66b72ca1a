"""The markets' sidebar entries (label, URL name, icon, who sees it), read by core/menu.py."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.access import is_government_staff

from .access import is_bank, is_enterprise


def _staff_or_enterprise(user) -> bool:
    return is_government_staff(user) or is_enterprise(user)


MARKET_MENU = (
    (_("Financing"), "markets-finance-home", "bank", lambda user: _staff_or_enterprise(user) or is_bank(user)),
    (_("Financing days"), "markets-finance-days", "calendar-event", _staff_or_enterprise),
    (_("Financing figures"), "markets-finance-figures", "graph-up", is_government_staff),
    (_("Factory space"), "markets-space-home", "house-gear", _staff_or_enterprise),
    (_("Small-micro parks"), "markets-parks", "buildings", _staff_or_enterprise),
    (_("Talent and capital"), "markets-talent-home", "people", is_government_staff),
)
