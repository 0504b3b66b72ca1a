"""The records behind a figure, by record type: how to fetch a page of ids and show each row.

Rows are fetched through each app's own scope (``visible_demands`` …): an id the reader
may not see is shown as a hidden row, so the count still matches the figure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import RecordSet


@dataclass(frozen=True)
class RecordKind:
    columns: tuple
    fetch: Callable  # (user, ids) -> {id: object}
    cells: Callable  # object -> (url, [texts])

    def rows(self, user, ids: list[int]) -> list[dict | None]:
        found = self.fetch(user, ids)
        rows = []
        for pk in ids:
            obj = found.get(pk)
            if obj is None:
                rows.append(None)
            else:
                url, texts = self.cells(obj)
                rows.append({"id": pk, "url": url, "cells": texts})
        return rows


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _demands(user, ids):
    from demands.access import visible_demands

    return visible_demands(user).select_related("enterprise", "lead_unit").in_bulk(ids)


def _demand_cells(d):
    return reverse("demands-detail", args=[d.pk]), [d.number, d.title, getattr(d.enterprise, "name", ""),
                                                    getattr(d.lead_unit, "name", ""), d.get_status_display(),
                                                    _local(d.received_at), _local(d.closed_at)]


def _orders(user, ids):
    from demands.access import visible_demands
    from demands.models import SupervisionOrder

    qs = SupervisionOrder.objects.filter(demand__in=visible_demands(user)).select_related("demand", "unit")
    return qs.in_bulk(ids)


def _order_cells(o):
    return reverse("demands-detail", args=[o.demand_id]), [o.demand.number, o.demand.title,
                                                           getattr(o.unit, "name", ""), o.reason,
                                                           o.respond_by.isoformat(), _local(o.created_at)]


def _visits(user, ids):
    from liaisons.access import visible_visits

    return visible_visits(user).prefetch_related("enterprises").in_bulk(ids)


def _visit_cells(v):
    names = "、".join(e.name for e in v.enterprises.all())
    return reverse("liaisons-visit-detail", args=[v.pk]), [v.visited_on.isoformat(), names, v.summary[:80]]


def _enterprises(user, ids):
    from enterprises.access import visible_enterprises

    return visible_enterprises(user).select_related("town").in_bulk(ids)


def _enterprise_cells(e):
    return reverse("enterprises-detail", args=[e.pk]), [e.name, e.credit_code, getattr(e.town, "name", "")]


def _pushes(user, ids):
    from enterprises.access import visible_enterprises
    from policies.models import PolicyPush

    return PolicyPush.objects.filter(enterprise__in=visible_enterprises(user)).select_related("enterprise").in_bulk(ids)


def _push_cells(p):
    return reverse("enterprises-detail", args=[p.enterprise_id]), [p.enterprise.name, p.week_start.isoformat(),
                                                                   str(len(p.policies or [])), _local(p.sent_at)]


def _needs(user, ids):
    from markets.access import visible_needs

    return visible_needs(user).select_related("enterprise").in_bulk(ids)


def _need_cells(n):
    from core.money import fen_to_wan

    return reverse("markets-finance-need", args=[n.pk]), [n.number, n.enterprise.name, str(fen_to_wan(n.amount_fen)),
                                                          n.get_status_display(), _local(n.created_at)]


KINDS = {
    RecordSet.Model.DEMAND: RecordKind(
        (_("Number"), _("Title"), _("Enterprise"), _("Lead unit"), _("Status"), _("Received"), _("Closed")),
        _demands, _demand_cells),
    RecordSet.Model.SUPERVISION: RecordKind(
        (_("Demand"), _("Title"), _("Supervised unit"), _("Reason"), _("Respond by"), _("Issued")),
        _orders, _order_cells),
    RecordSet.Model.VISIT: RecordKind((_("Visit date"), _("Enterprises"), _("What was discussed")),
                                      _visits, _visit_cells),
    RecordSet.Model.ENTERPRISE: RecordKind((_("Enterprise"), _("Credit code"), _("Town")),
                                           _enterprises, _enterprise_cells),
    RecordSet.Model.POLICY_PUSH: RecordKind((_("Enterprise"), _("Week starting"), _("Policies"), _("Sent at")),
                                            _pushes, _push_cells),
    RecordSet.Model.FINANCING_NEED: RecordKind(
        (_("Number"), _("Enterprise"), _("Amount (ten thousand yuan)"), _("Status"), _("Posted")),
        _needs, _need_cells),
}
