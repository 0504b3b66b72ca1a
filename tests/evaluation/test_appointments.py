"""政务码上约: an enterprise books a department's slot; the department confirms; no slot is booked twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from evaluation import actions
from evaluation.models import Appointment, AppointmentSlot, AppointmentStatus
from evaluation.workflow import StepNotAllowed
from reference.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture
def slot(reference):
    """Tomorrow 9:30–10:00 at the Science and Technology Bureau (the department_handler's)."""
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    return AppointmentSlot.objects.create(department=Department.objects.get(code="kjj"), starts_at=start,
                                          ends_at=start + dt.timedelta(minutes=30), place="市民中心3楼")


def test_a_booked_slot_cannot_be_booked_again_until_it_is_freed(slot, hongda, longteng, hongda_contact,
                                                                longteng_contact, in_english):
    first = actions.do_book_appointment(slot, acting_user=hongda_contact, enterprise=hongda, topic="高企申报咨询")
    with pytest.raises(actions.SlotTaken, match="just been booked"):
        actions.do_book_appointment(slot, acting_user=longteng_contact, enterprise=longteng, topic="专利维权")
    # When 宏达 cancels, the slot is free for 龙腾
    actions.do_cancel_appointment(first, acting_user=hongda_contact)
    second = actions.do_book_appointment(slot, acting_user=longteng_contact, enterprise=longteng, topic="专利维权")
    assert second.status == AppointmentStatus.REQUESTED


def test_the_database_refuses_a_second_live_appointment_in_a_slot(slot, hongda, longteng, hongda_contact):
    Appointment.objects.create(slot=slot, enterprise=hongda, topic="a", booked_by=hongda_contact)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(slot=slot, enterprise=longteng, topic="b", booked_by=hongda_contact)


def test_the_department_confirms_and_another_department_cannot(slot, hongda, hongda_contact, department_handler,
                                                               zhouxiang_clerk, client, in_english):
    appointment = actions.do_book_appointment(slot, acting_user=hongda_contact, enterprise=hongda, topic="研发费用归集")
    with pytest.raises(StepNotAllowed):
        actions.do_answer_appointment(appointment, acting_user=zhouxiang_clerk, confirm=True)
    client.force_login(department_handler)
    page = client.get(reverse("appointments-list"))
    assert [a.pk for a in page.context["appointments"]] == [appointment.pk]
    client.post(reverse("appointments-answer", args=[appointment.pk]), {"step": "confirm", "answer": "请带财务报表"})
    appointment.refresh_from_db()
    assert (appointment.status, appointment.answered_by) == (AppointmentStatus.CONFIRMED, department_handler)


def test_booking_through_the_page_offers_only_free_slots(slot, hongda, hongda_contact, longteng_contact, client):
    client.force_login(hongda_contact)
    client.post(reverse("appointments-book"), {"slot": slot.pk, "topic": "高企申报咨询"})
    assert Appointment.objects.filter(slot=slot, enterprise=hongda).exists()
    client.force_login(longteng_contact)
    form = client.get(reverse("appointments-list")).context["form"]
    assert list(form.fields["slot"].queryset) == []
    client.post(reverse("appointments-book"), {"slot": slot.pk, "topic": "抢号"})
    assert Appointment.objects.filter(slot=slot).count() == 1


def test_a_past_slot_cannot_be_booked(slot, hongda, hongda_contact, in_english):
    slot.starts_at = timezone.now() - dt.timedelta(hours=1)
    slot.save()
    with pytest.raises(actions.SlotTaken, match="passed"):
        actions.do_book_appointment(slot, acting_user=hongda_contact, enterprise=hongda, topic="x")


def test_a_department_offers_a_slot_and_overlapping_ones_are_refused(client, department_handler, reference,
                                                                     in_english):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    client.force_login(department_handler)
    client.post(reverse("appointments-slot-offer"), {"day": tomorrow, "start": "09:00", "end": "09:30", "place": "3楼"})
    overlapping = client.post(reverse("appointments-slot-offer"), {"day": tomorrow, "start": "09:15", "end": "09:45"},
                              follow=True)
    assert "already offers a slot" in overlapping.content.decode()
    (slot,) = AppointmentSlot.objects.all()
    assert (slot.department.code, timezone.localtime(slot.starts_at).hour) == ("kjj", 9)


def test_an_enterprise_cannot_offer_slots(client, hongda_contact):
    client.force_login(hongda_contact)
    response = client.post(reverse("appointments-slot-offer"), {"day": "2030-01-02", "start": "09:00", "end": "10:00"})
    assert response.status_code == 404 and not AppointmentSlot.objects.exists()
