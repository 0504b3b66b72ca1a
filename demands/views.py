"""Demand pages (staff workbench, demand page, enterprise side)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .access import access_demand


@login_required
def demand_detail(request, demand_id: int):
    demand = access_demand(request.user, demand_id)
    return render(request, "demands/detail.html", {"demand": demand})
