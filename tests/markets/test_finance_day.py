"""The monthly financing day (每月9号): sign-up, attendance, outcomes, and the figures the seeds report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.money import FEN_PER_WAN
from enterprises import demo as enterprise_demo
from markets import actions, figures
from markets.access import visible_needs
from markets.models import FinancingNeed, MarketEvent, MicroPark, NeedStatus, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance_day(platform_clerk):
    return actions.do_create_event(acting_user=platform_clerk, kind=MarketEvent.Kind.FINANCE_DAY,
                                   title="融资对接会", held_on=timezone.localdate() + dt.timedelta(days=7))


def test_an_enterprise_signs_up_and_the_platform_records_attendance(client, finance_day, hongda_contact,
                                                                    platform_clerk):
    client.force_login(hongda_contact)
    client.post(reverse("markets-finance-day-register", args=[finance_day.pk]))
    client.post(reverse("markets-finance-day-register", args=[finance_day.pk]))  # twice: still one sign-up
    registration = Registration.objects.get(event=finance_day)

    client.force_login(platform_clerk)
    client.post(reverse("markets-finance-day-attendance", args=[finance_day.pk, registration.pk]),
                {"attended": "1", "outcome": "与农商行达成意向"})

    registration.refresh_from_db()
    finance_day.refresh_from_db()
    assert registration.attended and registration.outcome == "与农商行达成意向"
    assert finance_day.is_held
    # Once held, nobody signs up any more
    client.force_login(hongda_contact)
    client.post(reverse("markets-finance-day-register", args=[finance_day.pk]))
    assert Registration.objects.filter(event=finance_day).count() == 1


def test_the_figures_count_events_enterprises_and_amounts(client, finance_day, post_need, longteng, longteng_contact,
                                                          cxrcb_credit, cxrcb_staff, platform_clerk):
    granted = post_need(amount_wan=300, finance_day=finance_day)
    intended = post_need(amount_wan=100, finance_day=finance_day)
    other = actions.do_post_need(acting_user=longteng_contact, enterprise=longteng, amount_fen=50 * FEN_PER_WAN,
                                 term_months=12, purpose="working_capital", collateral="none", urgency="normal",
                                 contact_name="徐强", contact_phone="13900000000", finance_day=finance_day)
    for need in (granted, intended):
        actions.do_respond(need, acting_user=cxrcb_staff, product_id=cxrcb_credit.pk)
        actions.do_record_intention(need, acting_user=cxrcb_staff, amount_fen=need.amount_fen)
    actions.do_grant(granted, acting_user=cxrcb_staff, amount_fen=250 * FEN_PER_WAN)
    registration = Registration.objects.get(event=finance_day, enterprise=other.enterprise)
    actions.do_record_attendance(registration, acting_user=platform_clerk, attended=True)

    client.force_login(platform_clerk)
    page = client.get(reverse("markets-finance-figures"))

    o = page.context["overall"]
    assert (o["events_held"], o["needs"], o["matched"], o["intention"]) == (1, 3, 1, 1)  # both needs are 宏达's
    assert (o["needed"], o["granted"]) == (450 * FEN_PER_WAN, 250 * FEN_PER_WAN)
    assert page.context["chart"] == {"days": [finance_day.held_on.isoformat()], "needed": [450 * FEN_PER_WAN],
                                     "granted": [250 * FEN_PER_WAN]}
    assert 'id="fig-granted" data-fen="250000000"' in page.content.decode()


def test_the_demo_data_gives_the_seed_004_figures_and_the_seed_002_parks(reference):
    enterprise_demo.generate(330, seed=7, contacts=False, projects=False)
    call_command("seed_markets")
    call_command("seed_markets")  # idempotent

    from accounts.models import User

    year_2020 = figures.finance_figures(visible_needs(User(is_superuser=True)), year=2020)
    assert year_2020["events_held"] == 9
    assert year_2020["needed"] > 21_000 * FEN_PER_WAN  # 对接需求资金超2.1亿
    assert year_2020["granted"] == 930 * FEN_PER_WAN  # 对接融资成功金额930万元
    assert year_2020["intention"] > 100  # 促成百余家企业达成合作意向
    assert MicroPark.objects.filter(stage="built").count() == 15
    assert MicroPark.objects.filter(stage="building").count() == 8
    assert FinancingNeed.objects.filter(created_at__year=2020).count() == 118
    assert FinancingNeed.objects.exclude(created_at__year=2020).filter(status=NeedStatus.MATCHED).exists()


def test_a_need_posted_for_a_coming_financing_day_signs_the_enterprise_up(client, finance_day, hongda_contact):
    client.force_login(hongda_contact)

    client.post(reverse("markets-finance-post"), {
        "amount_wan": "120", "term_months": "12", "purpose": "working_capital", "collateral": "none",
        "urgency": "normal", "contact_name": "王芳", "contact_phone": "13812345678", "finance_day": finance_day.pk})

    need = FinancingNeed.objects.get()
    assert need.finance_day == finance_day
    assert Registration.objects.filter(event=finance_day, enterprise=hongda_contact.enterprise).exists()
