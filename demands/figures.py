"""Named sets of demands and the figures computed over them in the database.

The workbench queues (new, to route, due soon, overdue …), the running deadline's
state and the dashboard figures (办结率, 按时办结率, 满意率 …) are all conditions
here.  Every function takes a queryset that already went through
``access.visible_demands(user)`` (so a town window only counts its town) and
aggregates it in SQL: no loop runs over demands in Python.  The same named sets
in :data:`STATES` are the ``state`` filter of the workbench, so every figure on
the dashboard links to exactly the demands it counts.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.db.models import Case, CharField, Count, F, FloatField, Func, Q, Sum, Value, When
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .calendar import WorkCalendar
from .models import Satisfaction, Status

ANSWERED_OR_LATER = (Status.ANSWERED, Status.FEEDBACK_GIVEN, Status.RATED, Status.CLOSED)
ROUTED_OR_LATER = (Status.ROUTED, Status.IN_PROGRESS, Status.WAITING_INFO, *ANSWERED_OR_LATER)
FED_BACK = (Status.FEEDBACK_GIVEN, Status.RATED, Status.CLOSED)
ANSWERING = (Status.ROUTED, Status.IN_PROGRESS)  # the answer clock runs (it pauses while waiting)

# name: (label, condition).  Merged and withdrawn demands are in no set but "all".
STATES: dict[str, tuple] = {
    "routed": (_("Routed (or later)"), Q(status__in=ROUTED_OR_LATER)),
    "answered": (_("Answered (or later)"), Q(status__in=ANSWERED_OR_LATER)),
    "on_time": (_("Answered on time"), Q(status__in=ANSWERED_OR_LATER, answered_late=False)),
    "late": (_("Answered late"), Q(status__in=ANSWERED_OR_LATER, answered_late=True)),
    "rated": (_("Rated"), ~Q(satisfaction="")),
    "satisfied": (
        _("Satisfied or basically satisfied"),
        Q(satisfaction__in=(Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED)),
    ),
    "dissatisfied": (_("Dissatisfied"), Q(satisfaction=Satisfaction.DISSATISFIED)),
    # 重办率 is counted among demands whose answer reached the enterprise at least once.
    "fed_back": (_("Answer given to the enterprise"), Q(status__in=FED_BACK) | Q(reopen_count__gt=0)),
    "reopened": (_("Reopened"), Q(reopen_count__gt=0)),
}

# rate name: (label, numerator state, denominator state)
RATES = {
    "completion_rate": (_("Completion rate"), "answered", "routed"),
    "on_time_rate": (_("On-time rate"), "on_time", "answered"),
    "satisfaction_rate": (_("Satisfaction rate"), "satisfied", "rated"),
    "reopen_rate": (_("Reopen rate"), "reopened", "fed_back"),
}

# dimension: (label, foreign key on Demand, workbench filter parameter)
DIMENSIONS = {
    "unit": (_("Lead unit"), "lead_unit", "unit"),
    "town": (_("Town"), "town", "town"),
    "category": (_("Category"), "category", "category"),
}
DIMENSION_MODELS = {"unit": "accounts.Organisation", "town": "reference.Town", "category": "reference.Category"}


def state_condition(name: str) -> Q:
    return STATES[name][1]


class DaysBetween(Func):
    """Days (a float) from the first datetime to the second, computed inside the database.

    Django's own datetime subtraction runs a Python function per row on SQLite; over the
    200,000 demands of a year that alone took over a second.
    """

    output_field = FloatField()

    def _parts(self, compiler):
        (start, start_params), (end, end_params) = (compiler.compile(e) for e in self.source_expressions)
        return start, end, [*end_params, *start_params]

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL
        start, end, params = self._parts(compiler)
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)", params

    def as_sqlite(self, compiler, connection, **extra):
        start, end, params = self._parts(compiler)
        return f"(julianday({end}) - julianday({start}))", params


def _handling_time():
    return DaysBetween(F("received_at"), F("answered_at"))


def measures() -> dict:
    """The aggregate expressions: one count per named set, and the summed handling time.

    Every measure adds up, so one grouped query can be rolled up to any dimension.
    """
    counts = {name: Count("pk", filter=condition) for name, (_label, condition) in STATES.items()}
    answered = state_condition("answered") & Q(answered_at__isnull=False)
    return {
        "total": Count("pk"),
        **counts,
        "handling_sum": Sum(_handling_time(), filter=answered),
        "handled": Count("pk", filter=answered),
    }


def with_rates(row: dict) -> dict:
    """Add the rates (percent, one decimal; None without a denominator) and handling days."""
    for rate, (_label, numerator, denominator) in RATES.items():
        row[rate] = round(100 * row[numerator] / row[denominator], 1) if row[denominator] else None
    handling, handled = row.pop("handling_sum", None), row.pop("handled", 0)
    row["handling_days"] = round(handling / handled, 1) if handled and handling is not None else None
    return row


def rollup(qs) -> list[dict]:
    """The measures per (lead unit, town, category): the one scan the dashboard makes."""
    keys = [fk + "_id" for _label, fk, _param in DIMENSIONS.values()]
    return list(qs.order_by().values(*keys).annotate(**measures()))


def overall(rows: list[dict]) -> dict:
    """The figures of all the rolled-up rows together."""
    return with_rates(_summed(rows))


def breakdown(rows: list[dict], dimension: str) -> list[dict]:
    """The figures per lead unit, town or category, biggest group first."""
    _label, fk, _param = DIMENSIONS[dimension]
    groups: dict = {}
    for row in rows:
        groups.setdefault(row[fk + "_id"], []).append(row)
    names = _names(DIMENSION_MODELS[dimension], [pk for pk in groups if pk is not None])
    english = translation.get_language() == "en"
    result = []
    for pk, members in groups.items():
        code, name_zh, name_en = names.get(pk, (None, None, None))
        result.append(with_rates({"code": code, "name": (english and name_en) or name_zh, **_summed(members)}))
    return sorted(result, key=lambda r: (-r["total"], r["code"] or ""))


def _summed(rows: list[dict]) -> dict:
    totals = {name: 0 for name in ("total", "handled", *STATES)}
    handling = None
    for row in rows:
        for name in totals:
            totals[name] += row[name]
        if row["handling_sum"] is not None:
            handling = row["handling_sum"] if handling is None else handling + row["handling_sum"]
    return {**totals, "handling_sum": handling}


def _names(model_path: str, pks: list) -> dict:
    model = apps.get_model(model_path)
    return {pk: (code, zh, en) for pk, code, zh, en in model.objects.filter(pk__in=pks).values_list(
        "pk", "code", "name_zh", "name_en")}


# --- Workbench queues and deadlines ------------------------------------------------------


def due_horizon(today: dt.date) -> dt.date:
    """The last day that counts as "due soon" (within QIFU_DUE_SOON_WORKING_DAYS working days)."""
    return WorkCalendar.load(today).add_working_days(today, settings.QIFU_DUE_SOON_WORKING_DAYS)


def with_due_state(qs, today: dt.date, horizon: dt.date):
    """Annotate ``due_state``: "overdue", "due_soon" or "" for the running deadline."""
    return qs.annotate(
        due_state=Case(
            When(status__in=ANSWERING, answer_due_on__lt=today, then=Value("overdue")),
            When(status__in=ANSWERING, answer_due_on__lte=horizon, then=Value("due_soon")),
            When(status=Status.RECEIVED, accept_due_on__lt=today, then=Value("overdue")),
            When(status=Status.RECEIVED, accept_due_on__lte=horizon, then=Value("due_soon")),
            default=Value(""),
            output_field=CharField(),
        )
    )


# The workbench tabs, in order; handling units (department scope) do not see the window-only ones.
QUEUE_LABELS = {
    "new": _("New"),
    "to_route": _("To route"),
    "in_progress": _("In progress"),
    "due_soon": _("Due soon"),
    "overdue": _("Overdue"),
    "waiting": _("Waiting for the enterprise"),
    "answered": _("Answered"),
    "to_close": _("To close"),
    "all": _("All"),
}
WINDOW_ONLY_QUEUES = ("new", "to_route", "answered", "to_close")


# Every tab but "all" holds demands of these statuses: counting them first narrows a
# million demands (most of them closed) to the open few through the status index.
QUEUE_STATUSES = (Status.RECEIVED, Status.ACCEPTED, *ANSWERING, Status.WAITING_INFO, Status.ANSWERED, Status.RATED)


def queue_counts(qs, conditions: dict[str, Q], names: list[str], cap: int | None = None) -> dict[str, int]:
    """The number of demands in each tab: one aggregate over the open statuses, one plain count.

    With ``cap``, "all" stops counting after ``cap + 1`` demands.
    """
    # COUNT(status), not COUNT(id): the conditions read only status and answer_due_on, so
    # the (status, answer_due_on) index answers without visiting the table.
    tabs = {name: Count("status", filter=conditions[name]) for name in names if name != "all"}
    counts = qs.filter(status__in=QUEUE_STATUSES).aggregate(**tabs) if tabs else {}
    if "all" in names:
        counts["all"] = qs.order_by()[: cap + 1].count() if cap else qs.count()
    return counts


def queue_conditions(today: dt.date, horizon: dt.date) -> dict[str, Q]:
    """The condition of each workbench tab; "overdue" and "due soon" look at the answer deadline."""
    answering = Q(status__in=ANSWERING)
    return {
        "new": Q(status=Status.RECEIVED),
        "to_route": Q(status=Status.ACCEPTED),
        "in_progress": answering,
        "due_soon": answering & Q(answer_due_on__gte=today, answer_due_on__lte=horizon),
        "overdue": answering & Q(answer_due_on__lt=today),
        "waiting": Q(status=Status.WAITING_INFO),
        "answered": Q(status=Status.ANSWERED),
        "to_close": Q(status=Status.RATED),
        "all": Q(),
    }
