"""Every write of the liaisons app.  Each action runs in one transaction and is attributed
in the operation log (django-auditlog, see liaisons/audit.py); demands are only ever created
through ``demands.actions.do_submit_demand``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import acting_as
from demands.actions import do_submit_demand
from demands.models import AppealType
from reference.models import Channel

from . import photos as photo_checks
from . import tiers as tier_rules
from .access import cadre_problem, current_assignments
from .models import Assignment, ConditionItem, Visit, VisitCadre, VisitEnterprise, VisitPhoto, VisitProblem

VISIT_CHANNEL = "visit"


# --- assignments -------------------------------------------------------------------------------


def _assign(enterprise, cadre, level, *, acting_user, via, rule, started_on) -> tuple[Assignment, bool]:
    """Make ``cadre`` the current liaison; end the one they replace.  (assignment, changed)."""
    problem = cadre_problem(cadre, level, enterprise)
    if problem:
        raise ValidationError(problem)
    current = current_assignments().select_for_update().filter(enterprise=enterprise, level=level).first()
    if current is not None and current.cadre_id == cadre.pk:
        return current, False
    if current is not None:
        current.ended_on = max(started_on, current.started_on)
        current.ended_by = acting_user
        current.save(update_fields=["ended_on", "ended_by"])
    assignment = Assignment.objects.create(
        enterprise=enterprise, cadre=cadre, level=level, started_on=started_on, via=via, rule=rule,
        assigned_by=acting_user,
    )
    return assignment, True


def do_assign(enterprise, cadre, level, *, acting_user, via=Assignment.Via.HAND, rule="",
              started_on: dt.date | None = None) -> Assignment:
    """Make one cadre the enterprise's liaison at one level (the previous one's span ends)."""
    with transaction.atomic(), acting_as(acting_user):
        assignment, _changed = _assign(enterprise, cadre, level, acting_user=acting_user, via=via, rule=rule,
                                       started_on=started_on or timezone.localdate())
    return assignment


def do_assign_many(pairs: Iterable[tuple[object, object, str]], *, acting_user, via=Assignment.Via.HAND,
                   rule="", started_on: dt.date | None = None) -> int:
    """Assign (enterprise, cadre, level) triples all together or not at all; return how many changed."""
    started_on = started_on or timezone.localdate()
    changed = 0
    with transaction.atomic(), acting_as(acting_user):
        for enterprise, cadre, level in pairs:
            _assignment, did = _assign(enterprise, cadre, level, acting_user=acting_user, via=via, rule=rule,
                                       started_on=started_on)
            changed += did
    return changed


def do_assign_by_rule(*, acting_user, tier: str, cadre, level: str, enterprises, only_unassigned=False) -> int:
    """Every enterprise of ``enterprises`` (already scoped and filtered) in the tier gets ``cadre``.

    E.g. every above-scale enterprise of 周巷 to one town cadre.  With ``only_unassigned``
    enterprises that already have a liaison at that level keep theirs.
    """
    chosen = tier_rules.enterprises_in_tier(tier, enterprises)
    if only_unassigned:
        chosen = chosen.exclude(pk__in=current_assignments().filter(level=level).values("enterprise_id"))
    pairs = [(enterprise, cadre, level) for enterprise in chosen.select_related("town")]
    return do_assign_many(pairs, acting_user=acting_user, via=Assignment.Via.RULE, rule=tier)


def do_end_assignment(assignment: Assignment, *, acting_user) -> Assignment:
    """The cadre is no longer the liaison (from today); the history keeps the span."""
    with transaction.atomic(), acting_as(acting_user):
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.ended_on is None:
            locked.ended_on = max(timezone.localdate(), locked.started_on)
            locked.ended_by = acting_user
            locked.save(update_fields=["ended_on", "ended_by"])
    return locked


# --- visits --------------------------------------------------------------------------------------


@dataclass
class ProblemInput:
    """A problem found on a visit, as the cadre wrote it; it becomes one demand."""

    enterprise: object
    text: str
    title: str = ""
    appeal_type: str = AppealType.REQUEST
    category: object = None
    condition_tags: Sequence = field(default_factory=tuple)


def _check_visit(visited_on: dt.date, enterprises: list, summary: str) -> None:
    if visited_on > timezone.localdate():
        raise ValidationError(_("The visit date cannot be in the future."))
    if not enterprises:
        raise ValidationError(_("Choose at least one enterprise that was visited."))
    if not (summary or "").strip():
        raise ValidationError(_("Write down what was discussed."))


def do_log_visit(*, acting_user, visited_on: dt.date, enterprises, summary: str, cadres=(), policies=(),
                 problems: Sequence[ProblemInput] = (), photos=()) -> Visit:
    """Record a visit; the person recording it went too.  Each problem becomes a linked demand."""
    enterprises = list(dict.fromkeys(enterprises))
    _check_visit(visited_on, enterprises, summary)
    people = list(dict.fromkeys([acting_user, *cadres]))
    checked = [(upload, photo_checks.check_photo(upload)) for upload in photos]
    with transaction.atomic(), acting_as(acting_user):
        visit = Visit.objects.create(visited_on=visited_on, summary=summary.strip(), recorded_by=acting_user)
        VisitEnterprise.objects.bulk_create([VisitEnterprise(visit=visit, enterprise=e) for e in enterprises])
        VisitCadre.objects.bulk_create([VisitCadre(visit=visit, cadre=c) for c in people])
        visit.policies.set(policies)
        for problem in problems:
            _record_problem(visit, problem, acting_user, enterprises)
        for upload, content_type in checked:
            _store_photo(visit, upload, content_type, acting_user)
    return visit


def _record_problem(visit: Visit, problem: ProblemInput, acting_user, enterprises) -> VisitProblem:
    if problem.enterprise not in enterprises:
        raise ValidationError(_("A problem must be about one of the enterprises visited."))
    contact = problem.enterprise.contacts.order_by("-is_primary", "id").first()
    number = visit.problems.count() + 1
    demand = do_submit_demand(
        acting_user=acting_user, enterprise=problem.enterprise, channel=Channel.objects.get(code=VISIT_CHANNEL),
        appeal_type=problem.appeal_type or AppealType.REQUEST, title=problem.title, text=problem.text,
        contact_name=getattr(contact, "name", ""), contact_phone=getattr(contact, "phone", ""),
        category=problem.category, condition_tags=problem.condition_tags,
        idempotency_key=f"visit-{visit.pk}-problem-{number}",
    )
    return VisitProblem.objects.create(visit=visit, enterprise=problem.enterprise, demand=demand)


def do_add_problem(visit: Visit, problem: ProblemInput, *, acting_user) -> VisitProblem:
    """A problem found on an earlier visit becomes a demand now, linked to that visit."""
    with transaction.atomic(), acting_as(acting_user):
        return _record_problem(visit, problem, acting_user, list(visit.enterprises.all()))


def _store_photo(visit: Visit, upload, content_type: str, acting_user) -> VisitPhoto:
    photo = VisitPhoto(visit=visit, original_name=upload.name[:200], content_type=content_type,
                       size=upload.size, digest=photo_checks.digest(upload), uploaded_by=acting_user)
    photo.file.save(upload.name, upload, save=False)
    photo.save()
    return photo


def do_add_photo(visit: Visit, upload, *, acting_user) -> VisitPhoto:
    content_type = photo_checks.check_photo(upload)
    with transaction.atomic(), acting_as(acting_user):
        return _store_photo(visit, upload, content_type, acting_user)


# --- enterprise-condition items -------------------------------------------------------------------


def do_note_condition(*, acting_user, text: str, tags, enterprise=None, noted_on: dt.date | None = None
                      ) -> ConditionItem:
    """A daily enterprise-condition note (每日企情), tagged with at least one four-new tag."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write down what was noticed."))
    tags = list(tags)
    if not tags:
        raise ValidationError(_("Choose at least one of the four-new tags."))
    noted_on = noted_on or timezone.localdate()
    if noted_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    organisation = getattr(acting_user, "organisation", None)
    town_id = enterprise.town_id if enterprise else getattr(organisation, "town_id", None)
    with transaction.atomic(), acting_as(acting_user):
        item = ConditionItem.objects.create(noted_on=noted_on, text=text, enterprise=enterprise, town_id=town_id,
                                            author=acting_user)
        item.tags.set(tags)
    return item
