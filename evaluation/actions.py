"""All writes of the evaluation, the rankings and the zone.

Each runs in a transaction and is attributed in the operation log (core.audit.acting_as);
the steps of a round are checked against evaluation/workflow.py and written to the
round's event table.  Notifications go through the outbox in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import acting_as
from notifications.actions import notify_users

from . import storing
from .access import can_answer_appointment, sides_of
from .models import (
    HOLDING,
    Appointment,
    AppointmentSlot,
    AppointmentStatus,
    Confirmation,
    ModuleOpen,
    Objection,
    Result,
    Round,
    RoundEvent,
    Scheme,
    ZoneCode,
    ZoneModule,
)
from .schemes import parse_scheme
from .workflow import StepNotAllowed, check

# --- Schemes and rounds


def do_create_scheme(*, acting_user, year: int, name: str, definition: dict, source: str = "",
                     change_note: str = "") -> Scheme:
    """A new version of the year's scheme (the next number); SchemeError if the definition does not read."""
    parse_scheme(definition)
    with transaction.atomic(), acting_as(acting_user):
        number = (Scheme.objects.filter(year=year).aggregate(top=Max("version"))["top"] or 0) + 1
        return Scheme.objects.create(year=year, version=number, name=name, definition=definition, source=source,
                                     change_note=change_note)


def do_start_round(scheme: Scheme, *, acting_user, year: int | None = None, background: bool = False) -> Round:
    """Evaluate ``year`` (the scheme's year by default) and store the results as a draft round.

    With ``background`` the round is created at once and the worker computes it after
    commit (a county's 30,000 enterprises take longer than a web request should).
    """
    with transaction.atomic(), acting_as(acting_user):
        round_ = Round.objects.create(scheme=scheme, year=year or scheme.year)
        if background:
            _log(round_, "round_queued", acting_user)
            from .tasks import compute_round

            transaction.on_commit(lambda: compute_round.enqueue(round_.pk, acting_user.pk))
        else:
            do_compute_round(round_, acting_user=acting_user)
    return round_


def do_compute_round(round_: Round, *, acting_user) -> Round:
    """The first computation of a round (the worker's job for a round started in the background)."""
    with transaction.atomic(), acting_as(acting_user):
        _compute(round_)
        _log(round_, "round_computed", acting_user)
    return round_


def do_recompute(round_: Round, *, acting_user) -> Round:
    """Evaluate the registry's current figures again (after corrections); confirmations stay."""
    check("recompute", round_.status, sides_of(acting_user))
    with transaction.atomic(), acting_as(acting_user):
        _compute(round_)
        _log(round_, "round_recomputed", acting_user)
    return round_


def _compute(round_: Round) -> None:
    scheme = round_.scheme.parsed()
    storing.store(round_, storing.evaluate_year(round_.year, scheme), scheme)
    round_.computed_at = timezone.now()
    round_.save()


def do_open_confirmation(round_: Round, *, acting_user) -> Round:
    """一企一单: every evaluated enterprise's contacts are asked to confirm their figures."""
    _move(round_, "open_confirmation", acting_user)
    with transaction.atomic(), acting_as(acting_user):
        round_.save()
        _log(round_, "confirmation_opened", acting_user)
        notify_users(_contacts_of(round_), subject=_("Please confirm your figures for the %(year)d per-mu evaluation")
                     % {"year": round_.year}, body=_("Open the enterprise zone, “My evaluation”, and confirm or "
                                                     "dispute the figures the evaluation uses."),
                     link="/evaluation/mine/")
    return round_


def _contacts_of(round_: Round):
    from accounts.models import Role, User

    return User.objects.filter(roles__code=Role.Code.ENTERPRISE_CONTACT, is_active=True,
                               enterprise__evaluation_results__round=round_).distinct()


def do_confirm_data(result: Result, *, acting_user) -> Result:
    check("confirm_data", result.round.status, sides_of(acting_user, result))
    return _set_confirmation(result, acting_user, Confirmation.CONFIRMED, "data_confirmed", "")


def do_dispute_data(result: Result, *, acting_user, text: str) -> Result:
    check("dispute_data", result.round.status, sides_of(acting_user, result))
    if not text.strip():
        raise StepNotAllowed(_("Say which figure is wrong and what it should be."))
    result.dispute_text = text.strip()
    return _set_confirmation(result, acting_user, Confirmation.DISPUTED, "data_disputed", result.dispute_text)


def do_resolve_dispute(result: Result, *, acting_user, text: str) -> Result:
    """Staff answer a dispute (after correcting the registry and computing again, or explaining why not)."""
    check("resolve_dispute", result.round.status, sides_of(acting_user, result))
    if result.confirmation != Confirmation.DISPUTED or not text.strip():
        raise StepNotAllowed(_("Only a disputed result gets an answer, and the answer must say something."))
    result.resolution_text = text.strip()
    return _set_confirmation(result, acting_user, Confirmation.RESOLVED, "dispute_resolved", result.resolution_text)


def _set_confirmation(result: Result, user, value: str, event: str, note: str) -> Result:
    with transaction.atomic(), acting_as(user):
        result.confirmation = value
        result.confirmed_at = timezone.now()
        result.save()
        _log(result.round, event, user, result=result, note=note)
    return result


def do_start_notice(round_: Round, *, acting_user, starts_on: dt.date | None = None) -> Round:
    """公示: the results are published; objections are taken until the notice ends."""
    if round_.results.filter(confirmation=Confirmation.DISPUTED).exists():
        raise StepNotAllowed(_("Answer every disputed result before the public notice starts."))
    _move(round_, "start_notice", acting_user)
    scheme = round_.scheme.parsed()
    round_.notice_starts_on = starts_on or timezone.localdate()
    round_.notice_ends_on = notice_end(round_.notice_starts_on, scheme.notice_days, scheme.notice_kind)
    with transaction.atomic(), acting_as(acting_user):
        round_.save()
        _log(round_, "notice_started", acting_user, note=f"{round_.notice_starts_on} – {round_.notice_ends_on}")
    return round_


def notice_end(start: dt.date, days: int, kind: str) -> dt.date:
    """The last day of a notice of ``days`` days from ``start`` (calendar days, or Chinese working days)."""
    if kind == "working":
        from demands.calendar import WorkCalendar

        calendar = WorkCalendar.load(start)
        first = start if calendar.is_workday(start) else calendar.add_working_days(start, 0)
        return calendar.add_working_days(first, days - 1)
    return start + dt.timedelta(days=days - 1)


def do_raise_objection(result: Result, *, acting_user, text: str, today: dt.date | None = None) -> Objection:
    check("raise_objection", result.round.status, sides_of(acting_user, result))
    today = today or timezone.localdate()
    if result.round.notice_ends_on and today > result.round.notice_ends_on:
        raise StepNotAllowed(_("The notice period ended on %(day)s.") % {"day": result.round.notice_ends_on})
    if not text.strip():
        raise StepNotAllowed(_("Write what the objection is."))
    with transaction.atomic(), acting_as(acting_user):
        objection = Objection.objects.create(result=result, raised_by=acting_user, text=text.strip())
        _log(result.round, "objection_raised", acting_user, result=result, note=objection.text)
    return objection


def do_handle_objection(objection: Objection, *, acting_user, upheld: bool, response: str) -> Objection:
    """Decide an objection with a written response; an upheld one is corrected in the registry first."""
    result = objection.result
    check("handle_objection", result.round.status, sides_of(acting_user, result))
    if objection.status != Objection.Status.OPEN or not response.strip():
        raise StepNotAllowed(_("Only an open objection is handled, and the response must say something."))
    with transaction.atomic(), acting_as(acting_user):
        objection.status = Objection.Status.UPHELD if upheld else Objection.Status.REJECTED
        objection.response, objection.handled_by, objection.handled_at = response.strip(), acting_user, timezone.now()
        objection.save()
        _log(result.round, "objection_upheld" if upheld else "objection_rejected", acting_user, result=result,
             note=objection.response)
        notify_users([objection.raised_by], subject=_("Your objection to the per-mu evaluation was answered"),
                     body=objection.response, link=f"/evaluation/results/{result.pk}/")
    return objection


def do_finalise(round_: Round, *, acting_user, today: dt.date | None = None) -> Round:
    today = today or timezone.localdate()
    if round_.notice_ends_on and today <= round_.notice_ends_on:
        raise StepNotAllowed(_("The notice runs until %(day)s.") % {"day": round_.notice_ends_on})
    if Objection.objects.filter(result__round=round_, status=Objection.Status.OPEN).exists():
        raise StepNotAllowed(_("Handle every objection before the results become final."))
    _move(round_, "finalise", acting_user)
    round_.finalised_at = timezone.now()
    with transaction.atomic(), acting_as(acting_user):
        round_.save()
        _log(round_, "round_finalised", acting_user)
    return round_


def _move(round_: Round, step: str, user) -> None:
    round_.status = check(step, round_.status, sides_of(user)).target


def _log(round_: Round, kind: str, actor, *, result: Result | None = None, note: str = "") -> None:
    RoundEvent.objects.create(round=round_, result=result, kind=kind, actor=actor if actor and actor.pk else None,
                              note=note)


# --- Enterprise zone


def ensure_zone_code(enterprise) -> ZoneCode:
    """The enterprise's code, made on first use (the token is random and never derived from the id)."""
    code, _created = ZoneCode.objects.get_or_create(enterprise=enterprise)
    return code


def record_module_open(module: ZoneModule, day: dt.date | None = None) -> None:
    """Count one open of a module today; concurrent opens add up (an UPDATE with F, no read first)."""
    day = day or timezone.localdate()
    with transaction.atomic():
        updated = ModuleOpen.objects.filter(module=module, day=day).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    ModuleOpen.objects.create(module=module, day=day, count=1)
            except IntegrityError:  # someone created the day's row first
                ModuleOpen.objects.filter(module=module, day=day).update(count=F("count") + 1)


def do_set_module(module: ZoneModule, *, acting_user, is_active: bool | None = None,
                  sort_order: int | None = None) -> ZoneModule:
    """Retire, bring back or reorder a zone module."""
    with transaction.atomic(), acting_as(acting_user):
        if is_active is not None:
            module.is_active = is_active
        if sort_order is not None:
            module.sort_order = sort_order
        module.save()
    return module


# --- Appointments (政务码上约)


class SlotTaken(Exception):
    """The slot is booked already (or is past); the enterprise picks another."""


def do_offer_slot(*, acting_user, department, starts_at, ends_at, place: str = "") -> AppointmentSlot:
    """A department offers a time; it may not overlap another slot of the same department."""
    if starts_at <= timezone.now():
        raise SlotTaken(_("A slot must be in the future."))
    overlapping = AppointmentSlot.objects.filter(department=department, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if overlapping.exists():
        raise SlotTaken(_("The department already offers a slot at that time."))
    with transaction.atomic(), acting_as(acting_user):
        return AppointmentSlot.objects.create(department=department, starts_at=starts_at, ends_at=ends_at,
                                              place=place.strip())


def do_book_appointment(slot: AppointmentSlot, *, acting_user, enterprise, topic: str) -> Appointment:
    """Book a slot for the enterprise; a slot holds one live appointment (SlotTaken otherwise)."""
    if slot.starts_at <= timezone.now():
        raise SlotTaken(_("This slot has passed."))
    try:
        with transaction.atomic(), acting_as(acting_user):
            AppointmentSlot.objects.select_for_update().filter(pk=slot.pk).first()
            if Appointment.objects.filter(slot=slot, status__in=HOLDING).exists():
                raise SlotTaken(_("This slot has just been booked by another enterprise; please pick another."))
            appointment = Appointment.objects.create(slot=slot, enterprise=enterprise, topic=topic.strip(),
                                                     booked_by=acting_user)
            notify_users(_department_staff(slot), subject=_("New appointment request: %(topic)s")
                         % {"topic": appointment.topic}, body=f"{enterprise} · {slot}", link="/evaluation/appointments/")
    except IntegrityError:
        # Two requests at once: the partial unique index lets only one through.
        raise SlotTaken(_("This slot has just been booked by another enterprise; please pick another.")) from None
    return appointment


def _department_staff(slot: AppointmentSlot):
    from accounts.models import User

    return User.objects.filter(organisation__department_id=slot.department_id, is_active=True)


def do_answer_appointment(appointment: Appointment, *, acting_user, confirm: bool, answer: str = "") -> Appointment:
    """The department confirms or declines a requested appointment; a declined slot is free again."""
    if not can_answer_appointment(acting_user, appointment):
        raise StepNotAllowed(_("Only the department of the slot answers this appointment."))
    if appointment.status != AppointmentStatus.REQUESTED:
        raise StepNotAllowed(_("This appointment has been answered already."))
    with transaction.atomic(), acting_as(acting_user):
        appointment.status = AppointmentStatus.CONFIRMED if confirm else AppointmentStatus.DECLINED
        appointment.answered_by, appointment.answer = acting_user, answer.strip()
        appointment.save()
        notify_users([appointment.booked_by], subject=_("Your appointment: %(status)s")
                     % {"status": appointment.get_status_display()}, body=f"{appointment.slot} · {appointment.topic}",
                     link="/evaluation/appointments/")
    return appointment


def do_cancel_appointment(appointment: Appointment, *, acting_user) -> Appointment:
    if appointment.status not in HOLDING:
        raise StepNotAllowed(_("This appointment is no longer open."))
    with transaction.atomic(), acting_as(acting_user):
        appointment.status = AppointmentStatus.CANCELLED
        appointment.save()
    return appointment
