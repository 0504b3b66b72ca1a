"""Enterprise-condition items (企情): note one in a few seconds, list them with filters."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.excel import xlsx_response

from .. import actions
from ..access import can_note_conditions, visible_condition_items
from ..forms import ConditionFilterForm, ConditionForm
from ._common import PAGE_SIZE, error_text, require


def _items(request):
    form = ConditionFilterForm(request.GET or None)
    qs = visible_condition_items(request.user)
    if request.GET:
        if not form.is_valid():
            return form, qs.none()
        start, end = form.dates()
        data = form.cleaned_data
        if start:
            qs = qs.filter(noted_on__gte=start, noted_on__lt=end)
        if data["tag"]:
            qs = qs.filter(tags=data["tag"])
        if data["town"]:
            qs = qs.filter(town=data["town"])
        if data["q"]:
            qs = qs.filter(Q(text__contains=data["q"]) | Q(enterprise__name__contains=data["q"]))
    return form, qs.select_related("enterprise", "town", "author").prefetch_related("tags").order_by("-noted_on", "-id")


@login_required
@require_http_methods(["GET", "POST"])
def condition_list(request):
    """每日企情: the note form on top, the filtered list below."""
    require(can_note_conditions(request.user))
    note = ConditionForm(request.POST or None, user=request.user)
    if request.method == "POST" and note.is_valid():
        data = note.cleaned_data
        try:
            actions.do_note_condition(acting_user=request.user, text=data["text"], tags=data["tags"],
                                      enterprise=data["enterprise_name"], noted_on=data["noted_on"])
        except ValidationError as error:
            note.add_error(None, error_text(error))
        else:
            messages.success(request, _("The enterprise condition was noted."))
            return redirect("liaisons-conditions")
    form, qs = _items(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "liaisons/conditions.html", {"note": note, "form": form, "page": page},
                  status=400 if note.errors else 200)


@login_required
def condition_export(request):
    require(can_note_conditions(request.user))
    _form, qs = _items(request)
    headers = [_("Date"), _("Four-new tags"), _("What was noticed"), _("Enterprise"), _("Town"), _("Noted by")]
    rows = ([i.noted_on, "、".join(t.name for t in i.tags.all()), i.text, getattr(i.enterprise, "name", ""),
             getattr(i.town, "name", ""), str(i.author)] for i in qs[: settings.QIFU_EXPORT_MAX_ROWS])
    return xlsx_response(_("enterprise-conditions"), headers, rows)
