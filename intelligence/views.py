"""The similar-demands look-up of the staff intake form (JSON)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from demands.access import can_record_demands

from .similarity import similar_open_demands

MAX_TEXT = 2000
MIN_TEXT = 6  # characters: fewer say nothing about the problem yet


@login_required
@require_GET
def similar_demands(request):
    """The five open demands most like the text being typed, among those the clerk may see."""
    if not can_record_demands(request.user):
        raise Http404("No such page.")
    typed = f"{request.GET.get('title', '')}\n{request.GET.get('text', '')}".strip()[:MAX_TEXT]
    if len(typed) < MIN_TEXT:
        return JsonResponse({"results": []})
    found = similar_open_demands(typed, user=request.user)
    return JsonResponse({"results": [
        {
            "id": demand.pk,
            "number": demand.number,
            "title": demand.title,
            "enterprise": demand.enterprise.name if demand.enterprise_id else "",
            "status": demand.get_status_display(),
            "received_at": demand.received_at.date().isoformat(),
            "score": score,
            "url": reverse("demands-detail", kwargs={"demand_id": demand.pk}),
        }
        for demand, score in found
    ]})
