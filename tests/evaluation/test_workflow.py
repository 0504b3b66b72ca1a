"""One round from draft to final: data confirmation (一企一单), public notice (公示), objections, final."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from evaluation import actions
from evaluation.models import Confirmation, Objection, Result, RoundStatus
from evaluation.workflow import StepNotAllowed
from notifications.models import Notification
from tests.factories import make_user


@pytest.fixture
def e1_contact(firms):
    return make_user("e1_contact", role=Role.Code.ENTERPRISE_CONTACT, enterprise=firms["E1"], display_name="E1联系人")


def _result(round_, enterprise) -> Result:
    return Result.objects.get(round=round_, enterprise=enterprise)


def test_a_round_goes_from_confirmation_through_notice_and_objection_to_final(
        client, round_, firms, e1_contact, evaluation_admin, in_english):
    # Given a computed round sent for data confirmation: the contact gets a message
    actions.do_open_confirmation(round_, acting_user=evaluation_admin)
    assert Notification.objects.filter(recipient=e1_contact).count() == 1
    result = _result(round_, firms["E1"])

    # When the contact disputes a figure on its result page
    client.force_login(e1_contact)
    page = client.get(reverse("evaluation-result", args=[result.pk]))
    assert page.status_code == 200 and b'id="submit-dispute_data"' in page.content
    client.post(reverse("evaluation-result-step", args=[result.pk]), {"step": "dispute_data", "text": "研发费用应为320万"})
    result.refresh_from_db()
    assert result.confirmation == Confirmation.DISPUTED

    # Then the notice cannot start until the dispute is answered
    with pytest.raises(StepNotAllowed, match="disputed"):
        actions.do_start_notice(round_, acting_user=evaluation_admin, starts_on=dt.date(2026, 3, 2))
    actions.do_resolve_dispute(result, acting_user=evaluation_admin, text="已核对税务数据，维持原值")
    today = timezone.localdate()
    actions.do_start_notice(round_, acting_user=evaluation_admin, starts_on=today)
    last_day = today + dt.timedelta(days=6)  # 7 calendar days, the first one counted
    assert (round_.status, round_.notice_ends_on) == (RoundStatus.NOTICE, last_day)

    # When the contact raises an objection during the notice
    client.post(reverse("evaluation-result-step", args=[result.pk]), {"step": "raise_objection", "text": "排名有误"})
    objection = Objection.objects.get(result=result)

    # Then the round cannot be final before the notice ends, nor with the objection open
    with pytest.raises(StepNotAllowed, match="notice runs until"):
        actions.do_finalise(round_, acting_user=evaluation_admin, today=last_day)
    with pytest.raises(StepNotAllowed, match="objection"):
        actions.do_finalise(round_, acting_user=evaluation_admin, today=last_day + dt.timedelta(days=1))

    # When the office rejects the objection with a response, the round becomes final
    actions.do_handle_objection(objection, acting_user=evaluation_admin, upheld=False, response="经复核，排名无误")
    actions.do_finalise(round_, acting_user=evaluation_admin, today=last_day + dt.timedelta(days=1))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.FINAL
    kinds = list(round_.events.order_by("id").values_list("kind", flat=True))
    assert kinds == ["round_computed", "confirmation_opened", "data_disputed", "dispute_resolved", "notice_started",
                     "objection_raised", "objection_rejected", "round_finalised"]


def test_an_objection_after_the_notice_ended_is_refused(round_, firms, e1_contact, evaluation_admin, in_english):
    actions.do_open_confirmation(round_, acting_user=evaluation_admin)
    actions.do_start_notice(round_, acting_user=evaluation_admin, starts_on=dt.date(2026, 3, 2))
    with pytest.raises(StepNotAllowed, match="ended"):
        actions.do_raise_objection(_result(round_, firms["E1"]), acting_user=e1_contact, text="迟到的异议",
                                   today=dt.date(2026, 3, 9))


@pytest.mark.django_db
def test_a_notice_in_working_days_skips_the_national_day_holiday():
    # 2025-09-29 (Mon), 30, then 1–8 October off, 9, 10, 11 (a make-up Saturday), 13, 14
    assert actions.notice_end(dt.date(2025, 9, 29), 7, "working") == dt.date(2025, 10, 14)


def test_an_enterprise_cannot_confirm_another_enterprises_figures(client, round_, firms, e1_contact,
                                                                  evaluation_admin):
    actions.do_open_confirmation(round_, acting_user=evaluation_admin)
    other = _result(round_, firms["E2"])
    client.force_login(e1_contact)
    assert client.get(reverse("evaluation-result", args=[other.pk])).status_code == 404
    assert client.post(reverse("evaluation-result-step", args=[other.pk]), {"step": "confirm_data"}).status_code == 404
    other.refresh_from_db()
    assert other.confirmation == Confirmation.PENDING


def test_a_draft_round_is_not_shown_to_the_enterprise(client, round_, firms, e1_contact):
    client.force_login(e1_contact)
    mine = client.get(reverse("evaluation-mine"))
    assert mine.status_code == 200 and b'id="no-evaluation"' in mine.content


def test_staff_cannot_confirm_for_the_enterprise(round_, firms, evaluation_admin, in_english):
    actions.do_open_confirmation(round_, acting_user=evaluation_admin)
    with pytest.raises(StepNotAllowed, match="cannot"):
        actions.do_confirm_data(_result(round_, firms["E1"]), acting_user=evaluation_admin)


def test_the_weekly_reminder_reaches_only_contacts_who_have_not_confirmed(round_, firms, e1_contact, evaluation_admin):
    from evaluation.tasks import remind_unconfirmed

    e2_contact = make_user("e2_contact", role=Role.Code.ENTERPRISE_CONTACT, enterprise=firms["E2"])
    actions.do_open_confirmation(round_, acting_user=evaluation_admin)
    actions.do_confirm_data(_result(round_, firms["E1"]), acting_user=e1_contact)
    assert remind_unconfirmed.call() == 1
    assert Notification.objects.filter(recipient=e2_contact).count() == 2  # the request and the reminder
    assert Notification.objects.filter(recipient=e1_contact).count() == 1


def test_the_office_is_told_once_when_a_notice_is_over(round_, evaluation_admin):
    from evaluation.tasks import report_ended_notices

    actions.do_open_confirmation(round_, acting_user=evaluation_admin)
    actions.do_start_notice(round_, acting_user=evaluation_admin, starts_on=dt.date(2026, 3, 2))
    assert (report_ended_notices.call(), report_ended_notices.call()) == (1, 0)
    assert Notification.objects.filter(recipient=evaluation_admin).count() == 1


def test_computing_again_after_a_correction_keeps_the_confirmations(round_, firms, e1_contact, evaluation_admin):
    from enterprises.models import YearFigures

    from .conftest import WAN, YEAR

    actions.do_open_confirmation(round_, acting_user=evaluation_admin)
    actions.do_confirm_data(_result(round_, firms["E1"]), acting_user=e1_contact)
    YearFigures.objects.filter(enterprise=firms["E4"], year=YEAR).update(tax_paid_fen=120 * WAN)  # 12万/亩 → 24
    actions.do_recompute(round_, acting_user=evaluation_admin)
    assert str(_result(round_, firms["E4"]).score) == "72.00"
    assert _result(round_, firms["E1"]).confirmation == Confirmation.CONFIRMED
    # E3's filled tax points follow the new group average: (60 + 90 + 24) / 3 = 58
    assert str(_result(round_, firms["E3"]).score) == "74.00"
