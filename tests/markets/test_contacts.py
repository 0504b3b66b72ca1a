"""Contact details reach the other side only once both sides agreed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from markets import actions
from markets.models import Market, Match, SpaceListing

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


def page_of(client, need):
    return client.get(reverse("markets-finance-need", args=[need.pk]))


def test_the_bank_sees_the_enterprises_phone_only_after_both_agreed(client, post_need, cxrcb_credit, cxrcb_staff,
                                                                    hongda_contact):
    need = post_need()
    match = Match.objects.get(market=Market.FINANCE, need_id=need.pk, offer_id=cxrcb_credit.pk)
    client.force_login(cxrcb_staff)
    assert PHONE not in page_of(client, need).content.decode()

    # The bank responds (and so agrees on its side): still hidden
    client.post(reverse("markets-finance-act", args=[need.pk, "respond"]), {"product": cxrcb_credit.pk})
    response = page_of(client, need)
    assert PHONE not in response.content.decode()
    assert response.context["contact_visible"] is False

    # The enterprise agrees too
    client.force_login(hongda_contact)
    client.post(reverse("markets-finance-consent", args=[match.pk]))
    match.refresh_from_db()
    assert match.need_consent_by == hongda_contact and match.offer_consent_by == cxrcb_staff

    client.force_login(cxrcb_staff)
    assert PHONE in page_of(client, need).content.decode()


def test_the_enterprise_agreeing_alone_shows_nothing_to_the_bank(client, post_need, cxrcb_credit, cxrcb_staff,
                                                                 hongda_contact):
    need = post_need()
    match = Match.objects.get(market=Market.FINANCE, need_id=need.pk)
    client.force_login(hongda_contact)
    client.post(reverse("markets-finance-consent", args=[match.pk]))

    client.force_login(cxrcb_staff)
    assert PHONE not in page_of(client, need).content.decode()


def test_a_bank_cannot_give_consent_for_the_enterprise(client, post_need, cxrcb_credit, icbc_staff):
    need = post_need()
    match = Match.objects.get(market=Market.FINANCE, need_id=need.pk)
    client.force_login(icbc_staff)  # not matched: the need is invisible to 工行

    assert client.post(reverse("markets-finance-consent", args=[match.pk])).status_code == 404
    match.refresh_from_db()
    assert match.need_consent_at is None and match.offer_consent_at is None


def space(user, enterprise, side, phone, **extra):
    fields = dict(side=side, deal="rent", enterprise=enterprise, title="厂房", town=enterprise.town, area_min_m2=1000,
                  area_max_m2=1000 if side == "supply" else 2000, contact_name="联系人", contact_phone=phone)
    fields.update(extra)
    return actions.do_post_space(acting_user=user, **fields)


def test_space_listings_show_the_other_sides_phone_only_after_both_agreed(client, hongda, hongda_contact, longteng,
                                                                          longteng_contact, zhouxiang):
    supply = space(hongda_contact, hongda, SpaceListing.Side.SUPPLY, "13800000001")
    demand = space(longteng_contact, longteng, SpaceListing.Side.DEMAND, "13900000002", town=zhouxiang)
    match = Match.objects.get(market=Market.SPACE, need_id=demand.pk, offer_id=supply.pk)

    client.force_login(longteng_contact)
    detail = reverse("markets-space-detail", args=[demand.pk])
    assert "13800000001" not in client.get(detail).content.decode()
    client.post(reverse("markets-space-consent", args=[match.pk]))
    assert "13800000001" not in client.get(detail).content.decode()

    client.force_login(hongda_contact)
    client.post(reverse("markets-space-consent", args=[match.pk]))
    assert "13900000002" in client.get(reverse("markets-space-detail", args=[supply.pk])).content.decode()
    client.force_login(longteng_contact)
    assert "13800000001" in client.get(detail).content.decode()
