"""The financing figures as the seeds report them (seed 004: "2020年共组织9场线下融资对接会，
促成百余家企业与银行达成合作意向，对接需求资金超2.1亿，对接融资成功金额930万元")."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from .models import MarketEvent, NeedStatus

REACHED_INTENTION = (NeedStatus.INTENTION, NeedStatus.GRANTED)
# A need that came to talks counts as "matched with a bank" (对接) in the figures.
MATCHED_WITH_BANK = (NeedStatus.IN_TALKS, NeedStatus.INTENTION, NeedStatus.GRANTED, NeedStatus.DECLINED)


def finance_figures(needs, year: int | None = None) -> dict:
    """Events held, enterprises matched and that reached an intention, amounts needed and granted."""
    events = MarketEvent.objects.filter(kind=MarketEvent.Kind.FINANCE_DAY, is_held=True)
    if year:
        events = events.filter(held_on__year=year)
        needs = needs.filter(created_at__year=year)
    totals = needs.aggregate(
        needs=Count("id"),
        needed=Sum("amount_fen"),
        granted=Sum("granted_amount_fen", filter=Q(status=NeedStatus.GRANTED)),
        matched=Count("enterprise", distinct=True, filter=Q(status__in=MATCHED_WITH_BANK)),
        intention=Count("enterprise", distinct=True, filter=Q(status__in=REACHED_INTENTION)),
        granted_count=Count("id", filter=Q(status=NeedStatus.GRANTED)),
    )
    totals["events_held"] = events.count()
    totals["needed"] = totals["needed"] or 0
    totals["granted"] = totals["granted"] or 0
    return totals


def day_figures(day) -> dict:
    needs = day.needs.all()
    regs = day.registrations.aggregate(signed=Count("id"), attended=Count("id", filter=Q(attended=True)))
    return {**regs, **finance_figures(needs)}


def finance_chart(needs) -> dict:
    """Per financing day held: the amount needed and granted of the needs brought to it (fen)."""
    rows = (needs.filter(finance_day__is_held=True)
            .values("finance_day__held_on")
            .annotate(needed=Sum("amount_fen"),
                      granted=Sum("granted_amount_fen", filter=Q(status=NeedStatus.GRANTED)))
            .order_by("finance_day__held_on"))
    return {
        "days": [r["finance_day__held_on"].isoformat() for r in rows],
        "needed": [r["needed"] or 0 for r in rows],
        "granted": [r["granted"] or 0 for r in rows],
    }


def status_counts(needs) -> list[dict]:
    counts = dict(needs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return [{"status": s, "label": s.label, "count": counts.get(s, 0)} for s in NeedStatus]
