"""Rows for the enterprise Excel export and data for the figures chart."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.money import fen_to_wan

from .models import Contact


def _mask(phone: str, show: bool) -> str:
    from core.templatetags.qifu import masked_phone

    return masked_phone(phone, show)


def enterprise_rows(qs, *, show_phones: bool):
    """Headers and a row generator; the queryset is already scoped and filtered."""
    headers = [
        _("Unified social credit code"), _("Name"), _("Town"), _("Park"), _("Industry code"),
        _("Industry group"), _("Size"), _("Tags"), _("Address"), _("Primary contact"), _("Phone"),
    ]
    qs = qs.select_related("town", "park", "industry_group").prefetch_related("tags").order_by("name", "id")

    def rows():
        for chunk in _chunks(qs, 2000):
            contacts = {
                c.enterprise_id: c
                for c in Contact.objects.filter(enterprise__in=[e.pk for e in chunk], is_primary=True)
            }
            for e in chunk:
                contact = contacts.get(e.pk)
                yield [
                    e.credit_code, e.name, e.town.name_zh, e.park.name_zh if e.park else "", e.industry_code,
                    e.industry_group.name_zh if e.industry_group else "", e.get_size_class_display(),
                    "、".join(t.name_zh for t in e.tags.all()), e.address,
                    contact.name if contact else "", _mask(contact.phone, show_phones) if contact else "",
                ]

    return headers, rows()


def _chunks(qs, size: int):
    """Keyset pagination over primary keys so memory stays flat on big exports."""
    ids = list(qs.values_list("pk", flat=True))
    for start in range(0, len(ids), size):
        part = ids[start : start + size]
        by_id = {e.pk: e for e in qs.model.objects.filter(pk__in=part).select_related(
            "town", "park", "industry_group").prefetch_related("tags")}
        yield [by_id[i] for i in part]


def figures_chart(figures) -> dict:
    """Revenue and tax per year in 万元 for the ECharts bar chart on the enterprise page."""
    ordered = sorted(figures, key=lambda f: f.year)
    return {
        "years": [str(f.year) for f in ordered],
        "revenue": [float(fen_to_wan(f.revenue_fen) or 0) for f in ordered],
        "tax": [float(fen_to_wan(f.tax_paid_fen) or 0) for f in ordered],
        "labels": {"revenue": _("Revenue (10,000 yuan)"), "tax": _("Tax paid (10,000 yuan)")},
    }
