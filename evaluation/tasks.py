"""Jobs of the evaluation: computing a round started from the page, and the scheduled
reminders (see config/schedule.py), never decisions.

A round only moves when the office takes a step; the jobs remind the enterprises that
have not confirmed their figures and tell the office when a notice period is over.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from accounts.models import Role, User
from notifications.actions import notify_users

from .models import Confirmation, Round, RoundEvent, RoundStatus


@task()
def compute_round(round_id: int, user_id: int) -> int:
    """Compute a round started from the page; returns the number of results."""
    from .actions import do_compute_round

    round_ = Round.objects.select_related("scheme").get(pk=round_id)
    if round_.computed_at is None:
        do_compute_round(round_, acting_user=User.objects.get(pk=user_id))
    return round_.results.count()


@task()
def remind_unconfirmed() -> int:
    """Weekly: the contacts of enterprises whose figures are still unconfirmed get a reminder."""
    reminded = 0
    for round_ in Round.objects.filter(status=RoundStatus.CONFIRMING):
        contacts = User.objects.filter(
            roles__code=Role.Code.ENTERPRISE_CONTACT, is_active=True,
            enterprise__evaluation_results__round=round_,
            enterprise__evaluation_results__confirmation=Confirmation.PENDING).distinct()
        with transaction.atomic():
            notify_users(contacts, subject=_("Reminder: please confirm your figures for the %(year)d per-mu "
                                             "evaluation") % {"year": round_.year},
                         body=_("Open the enterprise zone, “My evaluation”, and confirm or dispute the figures "
                                "the evaluation uses."), link="/evaluation/mine/")
        reminded += contacts.count()
    return reminded


@task()
def report_ended_notices() -> int:
    """Daily: tell the office once that a round's notice period is over and it can be made final."""
    today = timezone.localdate()
    office = User.objects.filter(roles__code=Role.Code.SUPERVISOR, is_active=True).distinct()
    told = 0
    for round_ in Round.objects.filter(status=RoundStatus.NOTICE, notice_ends_on__lt=today).exclude(
            events__kind="notice_ended_reported"):
        with transaction.atomic():
            RoundEvent.objects.create(round=round_, kind="notice_ended_reported")
            notify_users(office, subject=_("The public notice of the %(year)d per-mu evaluation is over")
                         % {"year": round_.year}, body=_("Handle the open objections, then make the results final."),
                         link=f"/evaluation/rounds/{round_.pk}/")
        told += 1
    return told
