"""The sidebar menu per role.  Each entry names a URL and who may see it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts import access
from demands.access import can_record_demands
from evaluation.menu import EVALUATION_MENU
from liaisons.access import can_assign, can_log_visits
from markets.menu import MARKET_MENU
from policies.access import can_edit_policies, can_review_payouts


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    icon: str
    allowed: Callable[[object], bool]


def _staff(user) -> bool:
    return access.is_government_staff(user)


def _enterprise(user) -> bool:
    return access.scope_of(user).kind == access.ScopeKind.ENTERPRISE


def _liaison_pages(user) -> bool:
    return can_log_visits(user) or can_assign(user)


MENU: tuple[MenuItem, ...] = (
    MenuItem(_("Home"), "accounts-home", "house", lambda user: True),
    MenuItem(_("Enterprises"), "enterprises-list", "buildings", _staff),
    MenuItem(_("My enterprise"), "enterprises-mine", "building", _enterprise),
    MenuItem(_("Demands"), "demands-list", "inboxes", _staff),
    MenuItem(_("Record a demand"), "demands-new", "telephone-plus", lambda user: can_record_demands(user)),
    MenuItem(_("Tracking list"), "demands-tracking", "list-check", _staff),
    MenuItem(_("Close-out list"), "demands-closeout", "check2-square", _staff),
    MenuItem(_("Demand figures"), "demands-figures", "bar-chart-line", _staff),
    MenuItem(_("Enterprises to visit"), "liaisons-unvisited", "calendar-check", _liaison_pages),
    MenuItem(_("Visits"), "liaisons-visits", "geo-alt", _staff),
    MenuItem(_("Enterprise conditions"), "liaisons-conditions", "lightbulb", _staff),
    MenuItem(_("Visit coverage"), "liaisons-coverage", "pie-chart", _staff),
    MenuItem(_("Briefings"), "briefings-archive", "newspaper", _staff),
    MenuItem(_("Leader dashboard"), "briefings-dashboard", "speedometer2", _staff),
    MenuItem(_("Liaison assignments"), "liaisons-assignments", "person-badge", lambda user: can_assign(user)),
    MenuItem(_("My demands"), "demands-mine", "chat-left-text", _enterprise),
    MenuItem(_("Submit a demand"), "demands-submit", "plus-circle", _enterprise),
    MenuItem(_("Policy check-up"), "policies-checkup", "clipboard2-pulse", _enterprise),
    MenuItem(_("Policy library"), "policies-list", "journal-bookmark", _staff),
    MenuItem(_("Policy calculator"), "policies-calculator", "calculator", _staff),
    MenuItem(_("Weekly policy push"), "policies-push", "send", can_edit_policies),
    MenuItem(_("Payouts without application"), "policies-payouts", "cash-coin", lambda user: can_review_payouts(user)),
    MenuItem(_("Import facts"), "policies-facts-import", "file-earmark-arrow-up", can_edit_policies),
    *(MenuItem(*entry) for entry in MARKET_MENU),
    *(MenuItem(*entry) for entry in EVALUATION_MENU),
    MenuItem(_("Messages"), "notifications-inbox", "bell", lambda user: True),
    MenuItem(_("Proposals"), "proposals-list", "envelope-paper", _staff),
    MenuItem(_("Excel import"), "enterprises-import", "upload", access.can_import_enterprises),
    MenuItem(_("Operation log"), "audit-operations", "journal", access.is_system_admin),
    MenuItem(_("Login log"), "audit-logins", "door-open", access.is_system_admin),
    MenuItem(_("Administration"), "admin:index", "gear", access.is_system_admin),
)


def menu_for(user, current_path: str) -> list[dict]:
    items = []
    for item in MENU:
        if not item.allowed(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "icon": item.icon, "active": False})
    # Only the most specific entry is highlighted (/enterprises/import/ is not also /enterprises/).
    matches = [i for i in items if current_path == i["url"] or (i["url"] != "/" and current_path.startswith(i["url"]))]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return items
