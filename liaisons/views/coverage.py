"""Visit coverage figures (走访覆盖) by cadre, department and town, each linked to its records."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from demands.forms import parse_period

from .. import figures
from ..access import visible_visits
from ..forms import CoverageForm
from ._common import require_staff

TABLES = {
    "cadre": (gettext_lazy("By cadre"), "by_cadre", lambda row: row["id"]),
    "department": (gettext_lazy("By department"), "by_department", lambda row: row["code"]),
    "town": (gettext_lazy("By town"), "by_town", lambda row: row["code"]),
}


def _links(row: dict, base: dict) -> dict:
    """The query strings of the visits and the problems behind a row's figures."""
    visits = urlencode(base)
    return {"visits": visits, "problems": visits, "resolved": urlencode({**base, "resolved": "true"})}


def _table(coverage, key: str, period: str) -> dict:
    label, attribute, param = TABLES[key]
    rows = getattr(coverage, attribute)
    for row in rows:
        row["links"] = _links(row, {"period": period, key: param(row)})
    return {"key": key, "label": label, "rows": rows}


def _chart(table: dict, limit: int = 20) -> dict:
    rows = table["rows"][:limit]
    return {"names": [r["name"] or _("(not set)") for r in rows],
            **{m: [r[m] for r in rows] for m in figures.MEASURES}}


@login_required
def coverage_page(request):
    require_staff(request.user)
    form = CoverageForm(request.GET or None)
    period = form.chosen()
    start, end = parse_period(period)
    coverage = figures.coverage(start, end, visits=visible_visits(request.user))
    tables = [_table(coverage, key, period) for key in TABLES]
    charts = {t["key"]: _chart(t) for t in tables}
    charts["labels"] = {"visits": _("Visits (count)"), "person_trips": _("Person-trips"), "problems": _("Problems found"),
                        "resolved": _("Problems resolved"), "enterprises_visited": _("Enterprises visited")}
    base = urlencode({"period": period})
    return render(request, "liaisons/coverage.html", {
        "form": form, "period": period, "total": coverage.total, "tables": tables, "charts": charts,
        "base": base, "resolved_query": urlencode({"period": period, "resolved": "true"}),
        "visits_url": reverse("liaisons-visits"), "problems_url": reverse("liaisons-problems"),
        "visited_url": reverse("liaisons-visited"),
    })
