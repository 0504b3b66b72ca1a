"""Talent and capital (才·富对接): projects, investors, the matches both ways, roadshows."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..models import Investor, Market, MarketEvent, Match, TalentProject
from .common import explain, require_staff


@login_required
def talent_home(request):
    require_staff(request.user)
    projects = list(TalentProject.objects.select_related("industry")[:50])
    investors = Investor.objects.select_related("enterprise").in_bulk()
    titles = dict(TalentProject.objects.values_list("pk", "title"))
    by_project: dict[int, list] = {}
    by_investor: dict[int, list] = {}
    for m in Match.objects.filter(market=Market.TALENT, is_current=True).order_by("-score"):
        if m.offer_id in investors:
            by_project.setdefault(m.need_id, []).append({"match": m, "investor": investors[m.offer_id],
                                                         "criteria": explain(m)})
            by_investor.setdefault(m.offer_id, []).append({"match": m, "title": titles.get(m.need_id, "")})
    rows = [{"project": p, "matches": by_project.get(p.pk, [])[:5]} for p in projects]
    investor_rows = [{"investor": i, "matches": by_investor.get(i.pk, [])[:5]} for i in investors.values()]
    roadshows = MarketEvent.objects.filter(kind=MarketEvent.Kind.ROADSHOW)[:10]
    return render(request, "markets/talent.html", {"rows": rows, "investors": investor_rows,
                                                   "roadshows": roadshows})
