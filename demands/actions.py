"""Every change to a demand.  Each action locks the demand row, checks the version
the person saw (a second person acting on the same demand gets EditConflict, nothing
is overwritten), checks the transition table, writes one DemandEvent and queues the
notifications in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import cube, deadlines, notifying, workflow
from .access import sides_of
from .calendar import WorkCalendar
from .models import Demand, DemandEvent, ExtensionRequest, Priority, Satisfaction, Status, SupervisionOrder
from .workflow import EditConflict, Side, TransitionNotAllowed

__all__ = ["EditConflict", "TransitionNotAllowed"]


def _today() -> dt.date:
    return timezone.localdate()


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Please describe the demand."))
    if len(text) > settings.QIFU_DEMAND_TEXT_MAX:
        raise ValidationError(
            _("The description is too long (%(length)d characters; at most %(limit)d).")
            % {"length": len(text), "limit": settings.QIFU_DEMAND_TEXT_MAX}
        )
    return text


def do_submit_demand(*, acting_user, enterprise, channel, appeal_type, title, text, contact_name="",
                     contact_phone="", category=None, priority=Priority.NORMAL, condition_tags=(),
                     idempotency_key=None) -> Demand:
    """Record a new demand (接件).  The same idempotency key returns the first demand."""
    if idempotency_key:
        existing = _same_submission(idempotency_key, acting_user)
        if existing is not None:
            return existing
    text = _clean_text(text)
    title = (title or "").strip()[:120] or text[:40]
    now = timezone.now()
    accept_days, _answer = deadlines.rule_for(getattr(category, "pk", None), priority, appeal_type, channel.pk)
    accept_due, guessed = deadlines.due_date(timezone.localdate(now), accept_days)
    demand = Demand(
        number=f"tmp-{now.timestamp()}-{id(now)}"[:20], enterprise=enterprise, channel=channel,
        appeal_type=appeal_type, title=title, text=text, contact_name=contact_name, contact_phone=contact_phone,
        category=category, priority=priority, town_id=enterprise.town_id if enterprise else None, received_at=now,
        accept_due_on=accept_due, calendar_unknown=guessed, idempotency_key=idempotency_key or None,
        created_by=acting_user,
    )
    try:
        with transaction.atomic():
            demand.save()
            demand.number = f"SQ{now:%Y}{demand.pk:07d}"
            demand.save(update_fields=["number"])
            if condition_tags:
                demand.condition_tags.set(condition_tags)
            cube.mark_stale(demand.received_at)
            _event(demand, "demand_received", acting_user, "", Status.RECEIVED,
                   data={"channel": channel.code, "appeal_type": appeal_type})
            notifying.tell_windows(demand, _("New demand %(number)s") % {"number": demand.number})
    except IntegrityError:
        # A double submit raced us to the same idempotency key: return the winner.
        winner = _same_submission(idempotency_key, acting_user) if idempotency_key else None
        if winner is None:
            raise
        return winner
    return demand


def _same_submission(key: str, acting_user) -> Demand | None:
    """An earlier demand with this key from the same person; anyone else's key is refused."""
    existing = Demand.objects.filter(idempotency_key=key).first()
    if existing is not None and existing.created_by_id != getattr(acting_user, "pk", None):
        raise ValidationError(_("This form was already used. Reload the page and submit again."))
    return existing


def _event(demand, kind, actor, from_status, to_status, *, note="", internal=False, unit=None, data=None):
    return DemandEvent.objects.create(
        demand=demand, kind=kind, from_status=from_status, to_status=to_status, actor=actor, note=note,
        is_internal=internal, unit=unit, data=data or {},
    )


def _transition(demand: Demand, action: str, *, acting_user, version: int | None,
                change: Callable[[Demand], dict] | None = None, note: str = "", internal: bool = False,
                system: bool = False, internal_note: str = "") -> Demand:
    """The one path every workflow action takes (see the module docstring)."""
    with transaction.atomic():
        locked = Demand.objects.select_for_update().get(pk=demand.pk)
        if version is not None and locked.version != version:
            raise EditConflict(
                _("Someone else changed demand %(number)s while you were looking at it. "
                  "Reload the page to see the change; nothing of yours was saved.") % {"number": locked.number}
            )
        sides = {Side.SYSTEM} if system else sides_of(acting_user, locked)
        transition = workflow.check(action, locked.status, sides)
        before = locked.status
        if transition.target:
            locked.status = transition.target
        data = change(locked) if change else {}
        locked.version += 1
        locked.save()
        cube.mark_stale(locked.received_at)
        _event(locked, transition.event, acting_user, before, locked.status, note=note, internal=internal,
               unit=locked.lead_unit if action in ("route", "transfer") else None, data=data or {})
        if internal_note.strip():
            # Instructions between units stay inside government; the step itself is public.
            _event(locked, "demand_noted", acting_user, locked.status, locked.status, note=internal_note.strip(),
                   internal=True)
    return locked


def do_accept(demand, *, acting_user, version, category, appeal_type=None, priority=None, condition_tags=None,
              note=""):
    """受理: the window accepts and classifies the demand."""

    def change(d):
        d.category = category
        d.appeal_type = appeal_type or d.appeal_type
        d.priority = priority or d.priority
        if condition_tags is not None:
            d.condition_tags.set(condition_tags)
        return {"category": category.code}

    return _transition(demand, "accept", acting_user=acting_user, version=version, change=change, note=note)


def _set_units(d: Demand, lead_unit, co_handlers) -> dict:
    d.lead_unit = lead_unit
    d.co_handlers.set([u for u in (co_handlers or []) if u.pk != lead_unit.pk])
    _, answer_days = deadlines.rule_for(d.category_id, d.priority, d.appeal_type, d.channel_id)
    d.answer_due_on, guessed = deadlines.due_date(_today(), answer_days)
    d.calendar_unknown = d.calendar_unknown or guessed
    return {"lead_unit": lead_unit.code, "co_handlers": [u.code for u in co_handlers or []],
            "answer_due_on": d.answer_due_on.isoformat()}


@transaction.atomic  # the step and its notices commit together (outbox)
def do_route(demand, *, acting_user, version, lead_unit, co_handlers=(), note=""):
    """流转: send to a department, a town or a market service provider; the answer clock starts."""
    routed = _transition(demand, "route", acting_user=acting_user, version=version,
                         change=lambda d: _set_units(d, lead_unit, co_handlers), internal_note=note)
    notifying.tell_handlers(routed, _("Demand %(number)s routed to you") % {"number": routed.number})
    return routed


@transaction.atomic  # the step and its notices commit together (outbox)
def do_transfer(demand, *, acting_user, version, lead_unit, co_handlers=(), note=""):
    """转办: move to another unit; its clock starts afresh."""
    moved = _transition(demand, "transfer", acting_user=acting_user, version=version,
                        change=lambda d: _set_units(d, lead_unit, co_handlers), internal_note=note)
    notifying.tell_handlers(moved, _("Demand %(number)s transferred to you") % {"number": moved.number})
    return moved


def _require(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(message)
    return reason


@transaction.atomic  # the step and its notices commit together (outbox)
def do_send_back(demand, *, acting_user, version, reason):
    """退回: the unit says the routing was wrong; the window routes again."""
    reason = _require(reason, _("Say why the routing is wrong."))

    def change(d):
        previous = d.lead_unit.code if d.lead_unit else ""
        d.lead_unit, d.answer_due_on = None, None
        d.co_handlers.clear()
        return {"previous_unit": previous}

    back = _transition(demand, "send_back", acting_user=acting_user, version=version, change=change, note=reason,
                       internal=True)
    notifying.tell_windows(back, _("Demand %(number)s was sent back") % {"number": back.number})
    return back


def do_start(demand, *, acting_user, version):
    return _transition(demand, "start", acting_user=acting_user, version=version)


@transaction.atomic  # the step and its notices commit together (outbox)
def do_request_info(demand, *, acting_user, version, question):
    """Ask the enterprise for information; the answer clock pauses until it replies."""
    question = _require(question, _("Say what information is needed."))

    def change(d):
        d.paused_since = _today()
        return {}

    waiting = _transition(demand, "request_info", acting_user=acting_user, version=version, change=change,
                          note=question)
    notifying.tell_enterprise(waiting, _("More information needed"), question)
    return waiting


@transaction.atomic  # the step and its notices commit together (outbox)
def do_supply_info(demand, *, acting_user, version, text):
    """The enterprise (or the window for it) supplies information; the clock resumes."""
    text = _require(text, _("Please write the information."))

    def change(d):
        calendar = WorkCalendar.load(d.paused_since)
        paused = calendar.working_days_between(d.paused_since, _today()) if d.paused_since else 0
        if d.answer_due_on and paused:
            d.answer_due_on = calendar.add_working_days(d.answer_due_on, paused)
        d.paused_since = None
        return {"paused_working_days": paused}

    resumed = _transition(demand, "supply_info", acting_user=acting_user, version=version, change=change, note=text)
    notifying.tell_handlers(resumed, _("Information supplied for %(number)s") % {"number": resumed.number})
    return resumed


@transaction.atomic  # the step and its notices commit together (outbox)
def do_request_extension(demand, *, acting_user, version, working_days, reason):
    """延期申请: the handler asks a supervisor for more working days."""
    reason = _require(reason, _("Say why more time is needed."))
    if not 1 <= int(working_days) <= 30:
        raise ValidationError(_("An extension is between 1 and 30 working days."))
    requests = []

    def change(d):
        requests.append(ExtensionRequest.objects.create(demand=d, requested_by=acting_user,
                                                        working_days=working_days, reason=reason))
        return {"working_days": int(working_days)}

    asked = _transition(demand, "request_extension", acting_user=acting_user, version=version, change=change,
                        note=reason, internal=True)
    notifying.tell_supervisors(asked, _("Extension requested for %(number)s") % {"number": asked.number})
    return requests[0]


def do_decide_extension(extension: ExtensionRequest, *, acting_user, approve: bool, note=""):
    """The supervisor approves (the due date moves) or refuses."""
    if extension.decision != ExtensionRequest.Decision.PENDING:
        raise TransitionNotAllowed(_("This extension request has already been decided."))

    def change(d):
        current = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
        if current.decision != ExtensionRequest.Decision.PENDING:
            raise TransitionNotAllowed(_("This extension request has already been decided."))
        extension.decision = ExtensionRequest.Decision.APPROVED if approve else ExtensionRequest.Decision.REFUSED
        extension.decided_by = acting_user
        extension.save()
        if approve and d.answer_due_on:
            d.answer_due_on, guessed = deadlines.due_date(d.answer_due_on, extension.working_days)
            d.calendar_unknown = d.calendar_unknown or guessed
        return {"approved": approve, "working_days": extension.working_days}

    return _transition(extension.demand, "decide_extension", acting_user=acting_user, version=None,
                       change=change, note=note, internal=True)


@transaction.atomic  # the step and its notices commit together (outbox)
def do_answer(demand, *, acting_user, version, answer, internal_note=""):
    """答复: the unit's answer, which the window passes on to the enterprise."""
    answer = _require(answer, _("Write the answer."))

    def change(d):
        d.answer, d.answered_at = answer, timezone.now()
        d.answered_late = bool(d.answer_due_on and _today() > d.answer_due_on)
        SupervisionOrder.objects.filter(demand=d, resolved_at__isnull=True).update(resolved_at=timezone.now())
        return {"late": d.answered_late}

    answered = _transition(demand, "answer", acting_user=acting_user, version=version, change=change,
                           note=internal_note, internal=True)
    notifying.tell_windows(answered, _("Demand %(number)s answered") % {"number": answered.number})
    return answered


@transaction.atomic  # the step and its notices commit together (outbox)
def do_give_feedback(demand, *, acting_user, version, reply=""):
    """反馈: the window gives the answer to the enterprise (optionally reworded)."""

    def change(d):
        if reply.strip():
            d.answer = reply.strip()
        return {}

    done = _transition(demand, "give_feedback", acting_user=acting_user, version=version, change=change)
    notifying.tell_enterprise(done, _("Your demand has been answered"), done.answer)
    return done


def do_rate(demand, *, acting_user, version, satisfaction, solved, comment="", follow_up=False):
    """评价 by the enterprise, or 回访: staff record the rating from a follow-up call."""
    if satisfaction not in Satisfaction.values:
        raise ValidationError(_("Choose satisfied, basically satisfied or dissatisfied."))

    def change(d):
        d.satisfaction, d.solved, d.rating_comment = satisfaction, bool(solved), comment.strip()
        return {"satisfaction": satisfaction, "solved": bool(solved), "follow_up": follow_up}

    return _transition(demand, "rate", acting_user=acting_user, version=version, change=change, note=comment)


@transaction.atomic  # the step and its notices commit together (outbox)
def do_reopen(demand, *, acting_user, version, comment, satisfaction=Satisfaction.DISSATISFIED, solved=False):
    """重办: back to the lead unit with the rating attached and a new answer deadline."""
    comment = _require(comment, _("Say what is still unresolved."))

    def change(d):
        d.satisfaction, d.solved, d.rating_comment = satisfaction, solved, comment
        d.reopen_count += 1
        _, answer_days = deadlines.rule_for(d.category_id, d.priority, d.appeal_type, d.channel_id)
        d.answer_due_on, guessed = deadlines.due_date(_today(), answer_days)
        d.calendar_unknown = d.calendar_unknown or guessed
        d.answered_at, d.answered_late = None, None
        return {"satisfaction": satisfaction, "solved": solved}

    reopened = _transition(demand, "reopen", acting_user=acting_user, version=version, change=change, note=comment)
    notifying.tell_handlers(reopened, _("Demand %(number)s reopened") % {"number": reopened.number})
    return reopened


def do_close(demand, *, acting_user, version, note=""):
    """销号."""

    def change(d):
        d.closed_at = timezone.now()
        return {}

    return _transition(demand, "close", acting_user=acting_user, version=version, change=change, note=note)


def do_close_unrated(demand):
    """The scheduled job closes a demand the enterprise did not rate in time, saying so."""

    def change(d):
        d.closed_at = timezone.now()
        return {"unrated_days": settings.QIFU_UNRATED_CLOSE_DAYS}

    return _transition(demand, "close_unrated", acting_user=None, version=None, change=change, system=True,
                       note=_("Closed without a rating after %(days)d days.") % {"days": settings.QIFU_UNRATED_CLOSE_DAYS})


@transaction.atomic  # the step and its notices commit together (outbox)
def do_merge(demand, *, acting_user, version, into: Demand, note=""):
    """Merge a duplicate into another open demand; the other keeps the history link."""
    if into.pk == demand.pk or into.status not in workflow.OPEN:
        raise TransitionNotAllowed(_("A demand can only be merged into another open demand."))

    def change(d):
        d.merged_into = into
        d.closed_at = timezone.now()
        return {"merged_into": into.number}

    merged = _transition(demand, "merge", acting_user=acting_user, version=version, change=change, note=note)
    _event(into, "demand_duplicate_merged", acting_user, into.status, into.status, data={"duplicate": merged.number})
    return merged


def do_withdraw(demand, *, acting_user, version, reason=""):
    def change(d):
        d.closed_at = timezone.now()
        return {}

    return _transition(demand, "withdraw", acting_user=acting_user, version=version, change=change, note=reason)


@transaction.atomic  # the step and its notices commit together (outbox)
def do_supervise(demand, *, acting_user=None, reason, respond_days=2, system=False) -> SupervisionOrder:
    """督办: a supervision order to the lead unit, with its own record and deadline."""
    orders = []

    def change(d):
        respond_by, _guessed = deadlines.due_date(_today(), respond_days)
        orders.append(SupervisionOrder.objects.create(demand=d, issued_by=acting_user, unit=d.lead_unit,
                                                      reason=reason, respond_by=respond_by))
        return {"respond_by": respond_by.isoformat()}

    supervised = _transition(demand, "supervise", acting_user=acting_user, version=None, change=change,
                             note=reason, internal=True, system=system)
    if supervised.lead_unit_id:
        notifying.tell_handlers(supervised, _("Supervision order on %(number)s") % {"number": supervised.number})
    return orders[0]


def do_add_note(demand, *, acting_user, note, internal=True):
    note = _require(note, _("Write the note."))
    return _transition(demand, "add_note", acting_user=acting_user, version=None, note=note, internal=internal)
