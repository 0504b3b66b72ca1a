"""A bank sees only the needs matched to its own products, and acts only with those."""

from __future__ import annotations

import pytest
from django.urls import reverse

from markets.models import Collateral, NeedStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs(post_need, cxrcb_credit, icbc_mortgage):
    """A credit need (fits 农商行's 小微信用贷) and a mortgage need (fits 工行's 厂房抵押贷)."""
    return post_need(amount_wan=200), post_need(amount_wan=800, term=60, collateral=Collateral.PROPERTY)


def listed(response) -> set[str]:
    return {n.number for n in response.context["page"].object_list}


def test_a_bank_lists_only_the_needs_matched_to_its_products(client, needs, cxrcb_staff, icbc_staff):
    credit, mortgage = needs

    client.force_login(cxrcb_staff)
    assert listed(client.get(reverse("markets-finance-home"))) == {credit.number}
    client.force_login(icbc_staff)
    assert listed(client.get(reverse("markets-finance-home"))) == {mortgage.number}


def test_another_banks_need_is_the_same_404_as_a_missing_one(client, needs, cxrcb_staff):
    _credit, mortgage = needs
    client.force_login(cxrcb_staff)

    assert client.get(reverse("markets-finance-need", args=[mortgage.pk])).status_code == 404
    assert client.get(reverse("markets-finance-need", args=[999999])).status_code == 404
    response = client.post(reverse("markets-finance-act", args=[mortgage.pk, "respond"]), {"product": 1})
    assert response.status_code == 404


def test_a_bank_sees_only_its_own_products_among_the_matches(client, post_need, cxrcb_credit, icbc_staff, system_admin):
    from markets import actions
    from markets.models import ProductKind

    # A product of 工行 that also fits the credit need
    icbc_credit = actions.do_save_product(
        acting_user=system_admin, organisation=icbc_staff.organisation, name="工银信用贷", kind=ProductKind.CREDIT,
        min_amount_fen=cxrcb_credit.min_amount_fen, max_amount_fen=cxrcb_credit.max_amount_fen, min_rate_bp=400,
        max_rate_bp=500, purposes=[], collateral=[Collateral.NONE], sizes=[])
    need = post_need(amount_wan=200)
    client.force_login(icbc_staff)

    response = client.get(reverse("markets-finance-need", args=[need.pk]))

    assert [row["product"].pk for row in response.context["matches"]] == [icbc_credit.pk]


def test_a_bank_cannot_respond_with_a_product_of_another_bank(client, needs, icbc_staff, cxrcb_credit, in_english):
    credit, _mortgage = needs
    client.force_login(icbc_staff)

    # The credit need is not matched to 工行 at all: it is not even visible
    response = client.post(reverse("markets-finance-act", args=[credit.pk, "respond"]), {"product": cxrcb_credit.pk})

    assert response.status_code == 404
    credit.refresh_from_db()
    assert credit.status == NeedStatus.MATCHED


def test_enterprises_and_towns_see_their_own_needs_only(client, needs, longteng_contact, zhouxiang_clerk,
                                                        longshan_clerk):
    credit, _mortgage = needs  # both are 宏达's, in 周巷
    client.force_login(longteng_contact)
    assert listed(client.get(reverse("markets-finance-home"))) == set()
    assert client.get(reverse("markets-finance-need", args=[credit.pk])).status_code == 404
    client.force_login(zhouxiang_clerk)
    assert len(listed(client.get(reverse("markets-finance-home")))) == 2
    client.force_login(longshan_clerk)
    assert listed(client.get(reverse("markets-finance-home"))) == set()


def test_a_bank_lists_a_product_and_the_needs_waiting_for_it_match_at_once(client, post_need, cxrcb_staff,
                                                                          icbc_staff):
    need = post_need(amount_wan=200)  # no product yet
    assert need.status == NeedStatus.POSTED
    client.force_login(cxrcb_staff)

    response = client.post(reverse("markets-finance-product-new"), {
        "name": "科创积分贷", "kind": "credit", "min_amount_wan": "50", "max_amount_wan": "500", "min_term_months": "1",
        "max_term_months": "36", "min_rate_bp": "380", "max_rate_bp": "500", "collateral": ["none"],
        "is_active": "on"})

    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == NeedStatus.MATCHED
    assert listed(client.get(reverse("markets-finance-home"))) == {need.number}
    product = cxrcb_staff.organisation.financial_products.get()
    assert product.min_amount_fen == 50 * 1_000_000 and product.purposes == []
    # Another bank cannot open it
    client.force_login(icbc_staff)
    assert client.get(reverse("markets-finance-product-edit", args=[product.pk])).status_code == 404


def test_the_bank_list_costs_the_same_queries_for_five_needs_or_twenty_five(client, post_need, cxrcb_credit,
                                                                            cxrcb_staff, django_assert_max_num_queries):
    client.force_login(cxrcb_staff)
    for _ in range(5):
        post_need()
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("markets-finance-home"))
    for _ in range(20):
        post_need()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("markets-finance-home"))
    assert len(response.context["page"].object_list) == 20


def test_once_one_bank_took_a_need_up_another_cannot_respond(client, post_need, cxrcb_credit, cxrcb_staff,
                                                             icbc_staff, system_admin):
    from markets import actions
    from markets.models import ProductKind

    icbc_credit = actions.do_save_product(
        acting_user=system_admin, organisation=icbc_staff.organisation, name="工银信用贷", kind=ProductKind.CREDIT,
        min_amount_fen=cxrcb_credit.min_amount_fen, max_amount_fen=cxrcb_credit.max_amount_fen, min_rate_bp=400,
        max_rate_bp=500, purposes=[], collateral=[Collateral.NONE], sizes=[])
    need = post_need()
    actions.do_respond(need, acting_user=cxrcb_staff, product_id=cxrcb_credit.pk)
    client.force_login(icbc_staff)

    client.post(reverse("markets-finance-act", args=[need.pk, "respond"]), {"product": icbc_credit.pk})

    need.refresh_from_db()
    assert need.bank == cxrcb_staff.organisation


def test_a_bank_user_lands_on_the_financing_needs(client, cxrcb_staff):
    client.force_login(cxrcb_staff)
    response = client.get(reverse("accounts-home"))
    assert (response.status_code, response.url) == (302, reverse("markets-finance-home"))
