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

from django.conf import settings
from django.db.models import Avg, Case, CharField, Count, DurationField, ExpressionWrapper, F, Q, Value, When
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


def state_condition(name: str) -> Q:
    return STATES[name][1]


def _handling_time():
    return ExpressionWrapper(F("answered_at") - F("received_at"), output_field=DurationField())


def measures() -> dict:
    """The aggregate expressions, one per counted set, plus the average handling time."""
    counts = {name: Count("pk", filter=condition) for name, (_label, condition) in STATES.items()}
    answered = state_condition("answered") & Q(answered_at__isnull=False)
    return {"total": Count("pk"), **counts, "handling": Avg(_handling_time(), filter=answered)}


def with_rates(row: dict) -> dict:
    """Add the rates (percent, one decimal; None without a denominator) and handling days."""
    for rate, (_label, numerator, denominator) in RATES.items():
        row[rate] = round(100 * row[numerator] / row[denominator], 1) if row[denominator] else None
    handling = row.pop("handling", None)
    row["handling_days"] = round(_days(handling), 1) if handling is not None else None
    return row


def _days(value) -> float:
    # SQLite returns the average of a duration as microseconds, PostgreSQL as an interval.
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86400
    return float(value) / 86_400_000_000


def overall(qs) -> dict:
    """The figures of the whole queryset: one aggregate query."""
    return with_rates(qs.aggregate(**measures()))


def breakdown(qs, dimension: str) -> list[dict]:
    """The figures per lead unit, town or category: one grouped query, biggest group first."""
    _label, fk, _param = DIMENSIONS[dimension]
    rows = (
        qs.order_by()
        .values(code=F(f"{fk}__code"), name_zh=F(f"{fk}__name_zh"), name_en=F(f"{fk}__name_en"))
        .annotate(**measures())
        .order_by("-total", "code")
    )
    english = translation.get_language() == "en"
    return [with_rates({**row, "name": (english and row["name_en"]) or row["name_zh"]}) for row in rows]


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
