"""Who hears about which step of a demand.  Called inside the action's transaction."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from notifications.actions import notify, notify_users
from notifications.models import Channel

from .models import Demand


def _link(demand: Demand) -> str:
    return reverse("demands-detail", args=[demand.pk])


def staff_of(organisation_ids, *roles: str):
    users = get_user_model().objects.filter(organisation_id__in=organisation_ids, is_active=True)
    if roles:
        users = users.filter(roles__code__in=roles)
    return users.distinct()


def town_window_staff(demand: Demand):
    """The town's window; a demand without a town (a proposal) goes to the city platform."""
    users = get_user_model().objects.filter(roles__code=Role.Code.WINDOW_STAFF, is_active=True)
    if demand.town_id is None:
        return users.filter(organisation__kind__in=["platform", "service_office"]).distinct()
    return users.filter(organisation__kind="town_window", organisation__town_id=demand.town_id).distinct()


def enterprise_contacts(demand: Demand):
    if demand.enterprise_id is None:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(
        enterprise_id=demand.enterprise_id, roles__code=Role.Code.ENTERPRISE_CONTACT, is_active=True
    ).distinct()


def supervisors():
    return get_user_model().objects.filter(roles__code=Role.Code.SUPERVISOR, is_active=True).distinct()


def tell_windows(demand: Demand, subject: str) -> None:
    notify_users(town_window_staff(demand), subject=subject, body=demand.title, link=_link(demand))


def tell_handlers(demand: Demand, subject: str) -> None:
    units = [demand.lead_unit_id, *demand.co_handlers.values_list("pk", flat=True)]
    notify_users(staff_of(units), subject=subject, body=demand.title, link=_link(demand))


def tell_enterprise(demand: Demand, subject: str, body: str) -> None:
    """In-app to the enterprise's users, and an SMS to the demand's contact phone."""
    notify_users(enterprise_contacts(demand), subject=subject, body=body, link=_link(demand))
    if demand.contact_phone:
        notify(channel=Channel.SMS, address=demand.contact_phone, subject=subject,
               body=_("Demand %(number)s: %(body)s") % {"number": demand.number, "body": body[:120]})


def tell_supervisors(demand: Demand, subject: str) -> None:
    notify_users(supervisors(), subject=subject, body=demand.title, link=_link(demand))
