"""A financing need from posted to granted, each step by the person who takes it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.money import FEN_PER_WAN
from markets.models import NeedStatus
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def act(client, need, action, **data):
    return client.post(reverse("markets-finance-act", args=[need.pk, action]), data)


def test_a_need_goes_from_posted_to_granted(client, hongda_contact, cxrcb_staff, cxrcb_credit):
    client.force_login(hongda_contact)
    response = client.post(reverse("markets-finance-post"), {
        "amount_wan": "300", "term_months": "12", "purpose": "working_capital", "collateral": "none",
        "urgency": "soon", "contact_name": "王芳", "contact_phone": "13812345678"})
    need = hongda_contact.enterprise.financing_needs.get()
    assert response.status_code == 302 and need.status == NeedStatus.MATCHED
    assert Notification.objects.filter(recipient=cxrcb_staff).count() == 1  # "new matches" to the bank

    client.force_login(cxrcb_staff)
    act(client, need, "respond", product=cxrcb_credit.pk)
    act(client, need, "intend", amount_wan="280")
    act(client, need, "grant", amount_wan="250", note="三年期")

    need.refresh_from_db()
    assert need.status == NeedStatus.GRANTED
    assert (need.bank, need.product) == (cxrcb_staff.organisation, cxrcb_credit)
    assert (need.intended_amount_fen, need.granted_amount_fen) == (280 * FEN_PER_WAN, 250 * FEN_PER_WAN)
    assert list(need.events.values_list("kind", flat=True)) == [
        "need_posted", "need_matched", "need_responded", "need_intention", "need_granted"]
    assert need.events.last().actor == cxrcb_staff
    # The enterprise heard of every step the bank took
    assert Notification.objects.filter(recipient=hongda_contact).count() == 4


def test_a_step_out_of_order_is_refused_with_a_reason(client, post_need, cxrcb_staff, cxrcb_credit, in_english):
    need = post_need()
    client.force_login(cxrcb_staff)

    response = act(client, need, "grant", amount_wan="100")

    need.refresh_from_db()
    assert need.status == NeedStatus.MATCHED
    assert "is not possible while the need is “Matched”" in [str(m) for m in response.wsgi_request._messages][0]


def test_only_the_enterprise_withdraws_its_need(client, post_need, hongda_contact, cxrcb_staff, cxrcb_credit):
    need = post_need()
    client.force_login(cxrcb_staff)
    act(client, need, "withdraw")
    need.refresh_from_db()
    assert need.status == NeedStatus.MATCHED

    client.force_login(hongda_contact)
    act(client, need, "withdraw", note="已从其他渠道解决")
    need.refresh_from_db()
    assert need.status == NeedStatus.WITHDRAWN


def test_the_enterprise_changes_its_need_until_a_bank_responds(client, post_need, hongda_contact, cxrcb_staff,
                                                              cxrcb_credit):
    need = post_need(amount_wan=200)
    client.force_login(hongda_contact)
    url = reverse("markets-finance-need-edit", args=[need.pk])
    form = {"amount_wan": "260", "term_months": "24", "purpose": "orders", "collateral": "none", "urgency": "normal",
            "contact_name": "王芳", "contact_phone": "13812345678"}

    assert client.post(url, form).status_code == 302
    need.refresh_from_db()
    assert (need.amount_fen, need.term_months, need.purpose) == (260 * FEN_PER_WAN, 24, "orders")
    assert need.events.filter(kind="need_changed").exists()

    client.force_login(cxrcb_staff)
    act(client, need, "respond", product=cxrcb_credit.pk)
    client.force_login(hongda_contact)
    assert client.get(url).status_code == 404
