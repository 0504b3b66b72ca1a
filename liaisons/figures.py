"""Visit coverage figures as the seeds report them (seed 001: 走访企业2931家次，出动6813人次，
办理困难问题和需求139个), by cadre, department and town, for a period.

Definitions (the weekly and monthly briefings and the dashboard reuse them):

* ``visits`` — visit records (走访次数) dated in the period;
* ``enterprise_visits`` — visit × enterprise pairs (家次): a visit to two enterprises counts twice;
* ``enterprises_visited`` — distinct enterprises visited (家);
* ``person_trips`` — visit × cadre pairs (人次): two cadres on one visit are two person-trips;
* ``problems`` — problems found on those visits (each is a demand of channel ``visit``);
* ``resolved`` — those problems whose demand was answered or later (答复、反馈、评价、销号).

By cadre: the visits the cadre went on (their person-trips are their visits).  By department
(the cadre's organisation): the visits any of its cadres went on, and its own person-trips.
By town (the enterprise's town): the visits to its enterprises, their person-trips, and the
problems of its enterprises.  :func:`filter_visits` and :func:`filter_problems` select exactly
the records behind a figure, for the pages that list them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from accounts.models import Organisation, User
from demands.models import Status
from reference.models import Town

from .models import Visit, VisitCadre, VisitEnterprise, VisitProblem

MEASURES = ("enterprises_visited", "visits", "enterprise_visits", "person_trips", "problems", "resolved")
RESOLVED = frozenset({Status.ANSWERED, Status.FEEDBACK_GIVEN, Status.RATED, Status.CLOSED})
DIMENSIONS = ("cadre", "department", "town")


def filter_visits(visits, *, start: dt.date | None = None, end: dt.date | None = None, cadre=None,
                  department=None, town=None):
    """The visits behind a figure: dated in [start, end), with the cadre / a cadre of the
    department (organisation) / an enterprise of the town.  Arguments are ids or objects."""
    if start:
        visits = visits.filter(visited_on__gte=start)
    if end:
        visits = visits.filter(visited_on__lt=end)
    if cadre:
        visits = visits.filter(Exists(VisitCadre.objects.filter(visit=OuterRef("pk"), cadre=cadre)))
    if department:
        visits = visits.filter(
            Exists(VisitCadre.objects.filter(visit=OuterRef("pk"), cadre__organisation=department))
        )
    if town:
        visits = visits.filter(
            Exists(VisitEnterprise.objects.filter(visit=OuterRef("pk"), enterprise__town=town))
        )
    return visits


def filter_problems(visits, *, resolved: bool | None = None, town=None, **visit_filters):
    """The problems behind a figure: of the filtered visits; by town, about the town's enterprises."""
    problems = VisitProblem.objects.filter(visit__in=filter_visits(visits, **visit_filters))
    if town:
        problems = problems.filter(enterprise__town=town)
    if resolved is not None:
        problems = problems.filter(demand__status__in=RESOLVED) if resolved else problems.exclude(
            demand__status__in=RESOLVED
        )
    return problems


def visited_enterprises(visits, *, town=None, **visit_filters):
    """The enterprises behind "enterprises visited", each with its number of visits and the last one."""
    from django.db.models import Count, Max

    from enterprises.models import Enterprise

    rows = VisitEnterprise.objects.filter(visit__in=filter_visits(visits, town=town, **visit_filters))
    if town:
        rows = rows.filter(enterprise__town=town)
    return Enterprise.objects.filter(pk__in=rows.values("enterprise_id")).annotate(
        visit_count=Count("visits", filter=Q(visits__in=rows.values("visit_id"))),
        last_visit=Max("visits__visited_on", filter=Q(visits__in=rows.values("visit_id"))),
    )


@dataclass
class _Facts:
    """The rows of one period, read once: who went where, and which problems came of it."""

    cadres: dict[int, list[tuple[int, int | None]]] = field(default_factory=lambda: defaultdict(list))
    enterprises: dict[int, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    problems: dict[int, list[tuple[int, bool]]] = field(default_factory=lambda: defaultdict(list))  # (town, resolved)
    visit_ids: set[int] = field(default_factory=set)


def _facts(visits) -> _Facts:
    facts = _Facts()
    facts.visit_ids = set(visits.values_list("pk", flat=True))
    ids = visits.values("pk")
    for visit_id, cadre_id, org_id in VisitCadre.objects.filter(visit__in=ids).values_list(
        "visit_id", "cadre_id", "cadre__organisation_id"
    ):
        facts.cadres[visit_id].append((cadre_id, org_id))
    for visit_id, enterprise_id, town_id in VisitEnterprise.objects.filter(visit__in=ids).values_list(
        "visit_id", "enterprise_id", "enterprise__town_id"
    ):
        facts.enterprises[visit_id].append((enterprise_id, town_id))
    for visit_id, town_id, status in VisitProblem.objects.filter(visit__in=ids).values_list(
        "visit_id", "enterprise__town_id", "demand__status"
    ):
        facts.problems[visit_id].append((town_id, status in RESOLVED))
    return facts


def _empty() -> dict:
    return {measure: 0 for measure in MEASURES} | {"_enterprises": set()}


def _add_visit(row: dict, facts: _Facts, visit_id: int, *, person_trips: int, town_id: int | None = None) -> None:
    """Add one visit to a row; with ``town_id`` only that town's enterprises and problems count."""
    enterprises = [e for e, t in facts.enterprises[visit_id] if town_id is None or t == town_id]
    problems = [resolved for t, resolved in facts.problems[visit_id] if town_id is None or t == town_id]
    row["visits"] += 1
    row["enterprise_visits"] += len(enterprises)
    row["_enterprises"].update(enterprises)
    row["person_trips"] += person_trips
    row["problems"] += len(problems)
    row["resolved"] += sum(problems)


def _finish(rows: dict) -> dict:
    for row in rows.values():
        row["enterprises_visited"] = len(row.pop("_enterprises"))
    return rows


def _total(facts: _Facts, town_id: int | None = None) -> dict:
    row = _empty()
    for visit_id in facts.visit_ids:
        _add_visit(row, facts, visit_id, person_trips=len(facts.cadres[visit_id]), town_id=town_id)
    return _finish({None: row})[None]


def _by_cadre(facts: _Facts) -> dict:
    rows: dict = defaultdict(_empty)
    for visit_id in facts.visit_ids:
        for cadre_id, _org in facts.cadres[visit_id]:
            _add_visit(rows[cadre_id], facts, visit_id, person_trips=1)
    return _finish(rows)


def _by_department(facts: _Facts) -> dict:
    rows: dict = defaultdict(_empty)
    for visit_id in facts.visit_ids:
        trips: dict = defaultdict(int)
        for _cadre, org_id in facts.cadres[visit_id]:
            trips[org_id] += 1
        for org_id, count in trips.items():
            _add_visit(rows[org_id], facts, visit_id, person_trips=count)
    return _finish(rows)


def _by_town(facts: _Facts) -> dict:
    rows: dict = defaultdict(_empty)
    for visit_id in facts.visit_ids:
        for town_id in {t for _e, t in facts.enterprises[visit_id]}:
            _add_visit(rows[town_id], facts, visit_id, person_trips=len(facts.cadres[visit_id]), town_id=town_id)
    return _finish(rows)


def _named(rows: dict, model, label) -> list[dict]:
    objects = model.objects.in_bulk([pk for pk in rows if pk is not None])
    named = []
    for pk, row in rows.items():
        obj = objects.get(pk)
        named.append({"id": pk, "code": getattr(obj, "code", pk), "name": label(obj) if obj else "", **row})
    return sorted(named, key=lambda r: (-r["visits"], -r["person_trips"], r["name"]))


@dataclass
class Coverage:
    start: dt.date
    end: dt.date
    total: dict
    by_cadre: list[dict]
    by_department: list[dict]
    by_town: list[dict]


def coverage(start: dt.date, end: dt.date, *, visits=None, cadre=None, department=None, town=None) -> Coverage:
    """The coverage figures of visits dated in [start, end).

    ``visits`` is the scope (``liaisons.access.visible_visits(user)``; default: every visit);
    ``cadre``, ``department`` (an Organisation) and ``town`` narrow it like :func:`filter_visits`;
    with ``town`` the total counts only that town's enterprises and problems.
    """
    scoped = filter_visits(Visit.objects.all() if visits is None else visits, start=start, end=end, cadre=cadre,
                           department=department, town=town)
    facts = _facts(scoped)
    return Coverage(
        start=start,
        end=end,
        total=_total(facts, getattr(town, "pk", town)),
        by_cadre=_named(_by_cadre(facts), User, lambda u: str(u)),
        by_department=_named(_by_department(facts), Organisation, lambda o: o.name),
        by_town=_named(_by_town(facts), Town, lambda t: t.name),
    )
