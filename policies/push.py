"""The weekly "opening next week" push (下周申报): from the match table to each enterprise's contacts.

``weekly_digest`` lists, per enterprise, the policies whose application window opens
next Monday to Sunday and for which the enterprise (or one of its projects) is
eligible or might qualify.  ``send_weekly_push`` writes one in-app notification per
enterprise contact through the outbox and one PolicyPush row per enterprise; a
second call in the same week sends nothing more (one push per week and enterprise).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from core.audit import acting_as
from enterprises.models import Enterprise
from notifications.actions import notify
from notifications.models import Channel

from .models import Policy, PolicyMatch, PolicyPush, PolicyVersion


@dataclass(frozen=True)
class DigestItem:
    policy: Policy
    status: str  # eligible if the enterprise or any of its projects is, else unknown
    amount_fen: int | None  # the sum over the eligible subjects; None if none has a known amount
    opens_on: date
    closes_on: date | None


@dataclass
class Digest:
    enterprise: Enterprise
    items: list[DigestItem] = field(default_factory=list)

    @property
    def total_fen(self) -> int:
        return sum(item.amount_fen or 0 for item in self.items)


def next_week(today: date) -> tuple[date, date]:
    """Next Monday and the Sunday after it (on a Monday, "next week" is the one after)."""
    monday = today + timedelta(days=7 - today.weekday())
    return monday, monday + timedelta(days=6)


def weekly_digest(today: date) -> list[Digest]:
    """Per enterprise, the matched policies opening next week; highest amount first."""
    monday, sunday = next_week(today)
    matches = (
        PolicyMatch.objects.filter(
            version__status=PolicyVersion.Status.PUBLISHED,
            version__policy__application_opens_on__range=(monday, sunday),
        )
        .select_related("version__policy", "enterprise")
        .order_by("enterprise__name", "enterprise_id")
    )
    grouped: dict[int, tuple[Enterprise, dict[int, list[PolicyMatch]]]] = {}
    for match in matches:
        _enterprise, by_policy = grouped.setdefault(match.enterprise_id, (match.enterprise, {}))
        by_policy.setdefault(match.version.policy_id, []).append(match)
    return [Digest(enterprise, _items(by_policy)) for enterprise, by_policy in grouped.values()]


def _items(by_policy: dict[int, list[PolicyMatch]]) -> list[DigestItem]:
    items = []
    for rows in by_policy.values():
        policy = rows[0].version.policy
        eligible = [row for row in rows if row.status == PolicyMatch.Status.ELIGIBLE]
        amounts = [row.amount_fen for row in eligible if row.amount_fen is not None]
        items.append(
            DigestItem(
                policy,
                PolicyMatch.Status.ELIGIBLE if eligible else PolicyMatch.Status.UNKNOWN,
                sum(amounts) if amounts else None,
                policy.application_opens_on,
                policy.application_closes_on,
            )
        )
    return sorted(items, key=lambda item: (-(item.amount_fen or 0), item.policy.sort_order, item.policy.code))


def enterprise_contacts(enterprise: Enterprise):
    return contacts_of([enterprise.pk])


def contacts_of(enterprise_ids: list[int]):
    """The active enterprise contacts of these enterprises (one query)."""
    return (
        get_user_model()
        .objects.filter(enterprise_id__in=enterprise_ids, roles__code=Role.Code.ENTERPRISE_CONTACT, is_active=True)
        .distinct()
        .order_by("enterprise_id", "id")
    )


def send_weekly_push(today: date, *, acting_user=None) -> list[PolicyPush]:
    """Push next week's digest to every enterprise not yet pushed this week; returns the new pushes."""
    monday, _sunday = next_week(today)
    done = set(PolicyPush.objects.filter(week_start=monday).values_list("enterprise_id", flat=True))
    pushes = []
    for digest in weekly_digest(today):
        if digest.enterprise.pk in done:
            continue
        try:
            pushes.append(_push_one(digest, monday, acting_user))
        except IntegrityError:  # another run pushed this enterprise meanwhile
            continue
    return pushes


def _push_one(digest: Digest, monday: date, acting_user) -> PolicyPush:
    with transaction.atomic(), acting_as(acting_user):
        push = PolicyPush.objects.create(
            week_start=monday,
            enterprise=digest.enterprise,
            policies=[_item_json(i) for i in digest.items],
            sent_at=timezone.now(),
            sent_by=acting_user,
        )
        subject = _("%(count)d policies you may apply for open next week") % {"count": len(digest.items)}
        body = "\n".join(_item_line(item) for item in digest.items)
        notifications = [
            notify(channel=Channel.IN_APP, recipient=user, subject=subject, body=body, link=reverse("policies-checkup"))
            for user in enterprise_contacts(digest.enterprise)
        ]
        push.notifications.set(notifications)
    return push


def _item_json(item: DigestItem) -> dict:
    return {
        "code": item.policy.code,
        "title": item.policy.title,
        "status": item.status,
        "amount_fen": item.amount_fen,
        "opens_on": item.opens_on.isoformat(),
        "closes_on": item.closes_on.isoformat() if item.closes_on else None,
    }


def _item_line(item: DigestItem) -> str:
    window = {
        "title": item.policy.title,
        "opens": item.opens_on.isoformat(),
        "closes": item.closes_on.isoformat() if item.closes_on else "—",
    }
    if item.status == PolicyMatch.Status.ELIGIBLE and item.amount_fen is not None:
        return _("%(title)s: applications %(opens)s to %(closes)s, about %(yuan)s yuan") % (
            window | {"yuan": f"{item.amount_fen / 100:,.2f}"}
        )
    if item.status == PolicyMatch.Status.ELIGIBLE:
        return _("%(title)s: applications %(opens)s to %(closes)s") % window
    return _("%(title)s: applications %(opens)s to %(closes)s (you might qualify: check the missing facts)") % window
