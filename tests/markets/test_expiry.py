"""Listings expire on their date (the daily job) and can be withdrawn; either way they leave matching."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from markets import actions, tasks
from markets.models import FinancingNeed, ListingStatus, Market, Match, NeedStatus, SpaceListing

pytestmark = pytest.mark.django_db


def test_the_daily_job_expires_needs_past_their_date(post_need, cxrcb_credit):
    old, fresh = post_need(), post_need()
    FinancingNeed.objects.filter(pk=old.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=1))

    result = tasks.expire_listings.enqueue()

    assert result.return_value["needs"] == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (NeedStatus.EXPIRED, NeedStatus.MATCHED)
    assert old.events.last().kind == "need_expired"
    assert not Match.objects.filter(need_id=old.pk, is_current=True).exists()
    # An expired need takes no part in the next re-match
    actions.full_rematch(Market.FINANCE)
    assert not Match.objects.filter(market=Market.FINANCE, need_id=old.pk, is_current=True).exists()


def test_a_need_in_talks_does_not_expire(post_need, cxrcb_credit, cxrcb_staff):
    need = actions.do_respond(post_need(), acting_user=cxrcb_staff, product_id=cxrcb_credit.pk)
    FinancingNeed.objects.filter(pk=need.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=1))

    actions.expire_listings()

    need.refresh_from_db()
    assert need.status == NeedStatus.IN_TALKS


def listing(user, enterprise, side):
    return actions.do_post_space(acting_user=user, side=side, deal="rent", enterprise=enterprise, title="厂房",
                                 town=enterprise.town, area_min_m2=1000, area_max_m2=1000 if side == "supply" else 1500,
                                 contact_name="联系人", contact_phone="13800000000")


def test_space_listings_expire_and_their_matches_stop(hongda, hongda_contact, longteng, longteng_contact):
    supply = listing(hongda_contact, hongda, SpaceListing.Side.SUPPLY)
    demand = listing(longteng_contact, longteng, SpaceListing.Side.DEMAND)
    assert Match.objects.filter(market=Market.SPACE, need_id=demand.pk, offer_id=supply.pk, is_current=True).exists()
    SpaceListing.objects.filter(pk=supply.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=1))

    assert actions.expire_listings()["space"] == 1

    supply.refresh_from_db()
    assert supply.status == ListingStatus.EXPIRED
    assert not Match.objects.filter(market=Market.SPACE, offer_id=supply.pk, is_current=True).exists()


def test_a_withdrawn_listing_leaves_matching(hongda, hongda_contact, longteng, longteng_contact):
    supply = listing(hongda_contact, hongda, SpaceListing.Side.SUPPLY)
    demand = listing(longteng_contact, longteng, SpaceListing.Side.DEMAND)

    actions.do_set_space_status(supply, acting_user=hongda_contact, status=ListingStatus.WITHDRAWN)

    assert not Match.objects.filter(market=Market.SPACE, need_id=demand.pk, is_current=True).exists()
