"""The staff lists (filter, search, pages, Excel), the park directory, publication to the town
groups and the menu."""

from __future__ import annotations

import pytest
from django.urls import reverse

from markets import actions
from markets.models import MicroPark, SpaceListing
from notifications.models import Channel, Notification, RobotWebhook

from ..factories import read_xlsx

pytestmark = pytest.mark.django_db


def test_the_staff_list_filters_searches_and_exports(client, post_need, platform_clerk, cxrcb_credit, in_english):
    first, second = post_need(amount_wan=200), post_need(amount_wan=900, purpose="equipment")
    client.force_login(platform_clerk)

    by_purpose = client.get(reverse("markets-finance-home"), {"purpose": "equipment"})
    by_number = client.get(reverse("markets-finance-home"), {"q": first.number})
    export = client.get(reverse("markets-finance-export"), {"purpose": "equipment"})

    assert [n.number for n in by_purpose.context["page"].object_list] == [second.number]
    assert [n.number for n in by_number.context["page"].object_list] == [first.number]
    rows = read_xlsx(export.content)
    assert rows[0][0] == "Number" and [r[0] for r in rows[1:]] == [second.number]
    assert rows[1][3] == 900


def test_the_staff_list_pages_by_twenty(client, post_need, platform_clerk):
    for _ in range(21):
        post_need()
    client.force_login(platform_clerk)

    assert len(client.get(reverse("markets-finance-home")).context["page"].object_list) == 20
    assert len(client.get(reverse("markets-finance-home"), {"page": 2}).context["page"].object_list) == 1


def test_an_enterprise_posts_a_need_on_its_phone_page(client, hongda_contact, cxrcb_credit, in_english):
    client.force_login(hongda_contact)
    form = client.get(reverse("markets-finance-post"))
    assert form.status_code == 200 and 'inputmode="decimal"' in form.content.decode()

    bad = client.post(reverse("markets-finance-post"), {"amount_wan": "", "term_months": "12"})
    assert bad.status_code == 200 and hongda_contact.enterprise.financing_needs.count() == 0


def test_the_park_directory_totals_each_stage(client, zhouxiang, hongda_contact):
    MicroPark.objects.create(code="a", name="周巷园", town=zhouxiang, stage="built", land_area_mu="100.5",
                             floor_area_m2=100000, enterprises=60, occupancy_pct=90)
    MicroPark.objects.create(code="b", name="周巷二期", town=zhouxiang, stage="building", land_area_mu="80",
                             floor_area_m2=120000)
    client.force_login(hongda_contact)

    page = client.get(reverse("markets-parks"))

    totals = {t["stage"]: (t["parks"], t["enterprises"]) for t in page.context["totals"]}
    assert totals == {"built": (1, 60), "building": (1, 0)}
    assert len(client.get(reverse("markets-parks"), {"stage": "building"}).context["parks"]) == 1


def test_a_listing_is_published_to_its_town_groups_through_the_outbox(client, hongda, hongda_contact, zhouxiang_clerk):
    RobotWebhook.objects.create(name="zhouxiang-wecom", channel=Channel.WECOM, url="http://127.0.0.1:9/robot")
    RobotWebhook.objects.create(name="longshan-dingtalk", channel=Channel.DINGTALK, url="http://127.0.0.1:9/robot")
    listing = actions.do_post_space(acting_user=hongda_contact, side=SpaceListing.Side.SUPPLY, deal="rent",
                                    enterprise=hongda, title="二楼标准厂房", town=hongda.town, area_min_m2=1200,
                                    area_max_m2=1200, contact_name="王芳", contact_phone="13812345678")
    client.force_login(zhouxiang_clerk)

    client.post(reverse("markets-space-publish", args=[listing.pk]))

    sent = Notification.objects.exclude(channel=Channel.IN_APP).get()
    assert (sent.channel, sent.address) == (Channel.WECOM, "zhouxiang-wecom")
    assert listing.number in sent.body
    listing.refresh_from_db()
    assert listing.published_at is not None


def test_the_menu_shows_each_person_their_markets(client, hongda_contact, cxrcb_staff, platform_clerk):
    def menu(user):
        client.force_login(user)
        return {item["url"] for item in client.get(reverse("markets-home")).context["menu"]}

    assert reverse("markets-finance-home") in menu(cxrcb_staff)
    assert reverse("markets-space-home") not in menu(cxrcb_staff)
    assert reverse("markets-space-home") in menu(hongda_contact)
    assert reverse("markets-finance-figures") in menu(platform_clerk)
    assert reverse("markets-finance-figures") not in menu(hongda_contact)


def test_every_page_opens_for_the_people_it_is_for(client, post_need, hongda, hongda_contact, cxrcb_staff,
                                                   cxrcb_credit, platform_clerk, longteng_contact, outsider):
    need = post_need()
    actions.do_respond(need, acting_user=cxrcb_staff, product_id=cxrcb_credit.pk)
    day = actions.do_create_event(acting_user=platform_clerk, kind="finance_day", title="融资日", held_on="2026-12-09")
    listing = actions.do_post_space(acting_user=hongda_contact, side="demand", deal="rent", enterprise=hongda,
                                    title="求租", town=None, area_min_m2=500, area_max_m2=900, contact_name="王芳",
                                    contact_phone="13812345678")
    pages = {
        hongda_contact: ["markets-home", "markets-finance-home", "markets-finance-post", "markets-finance-days",
                         "markets-finance-products", "markets-space-home", "markets-space-post", "markets-parks",
                         ("markets-finance-need", need.pk), ("markets-space-detail", listing.pk)],
        cxrcb_staff: ["markets-home", "markets-finance-home", "markets-finance-products",
                      ("markets-finance-need", need.pk)],
        platform_clerk: ["markets-home", "markets-finance-home", "markets-finance-figures", "markets-finance-days",
                         ("markets-finance-day", day.pk), "markets-space-home", "markets-space-post",
                         "markets-talent-home", "markets-parks", ("markets-finance-need", need.pk),
                         ("markets-space-detail", listing.pk)],
    }
    for user, names in pages.items():
        client.force_login(user)
        for name in names:
            url = reverse(name) if isinstance(name, str) else reverse(name[0], args=[name[1]])
            assert client.get(url).status_code == 200, (user, url)
    client.force_login(outsider)
    for name in ("markets-finance-home", "markets-space-home", "markets-talent-home", "markets-finance-figures"):
        assert client.get(reverse(name)).status_code == 404
    client.force_login(longteng_contact)
    assert client.get(reverse("markets-space-detail", args=[listing.pk])).status_code == 404


def test_talent_projects_and_investors_are_matched_both_ways(client, hongda, platform_clerk, system_admin):
    from reference.models import IndustryGroup

    appliances = IndustryGroup.objects.get(code="home_appliances")
    project = actions.do_post_project(acting_user=system_admin, title="无刷电机", leader="李博士", industry=appliances,
                                      stage="pilot", funding_fen=300 * 1_000_000, contact_phone="13600000000")
    investor = actions.do_save_investor(acting_user=system_admin, enterprise=hongda, industries=["home_appliances"],
                                        stages=[], min_amount_fen=100 * 1_000_000, max_amount_fen=500 * 1_000_000,
                                        contact_name="王芳", contact_phone="13812345678")
    client.force_login(platform_clerk)

    page = client.get(reverse("markets-talent-home"))

    [row] = page.context["rows"]
    assert row["project"] == project and [m["investor"] for m in row["matches"]] == [investor]
    assert row["matches"][0]["match"].score == 100
    [by_investor] = page.context["investors"]
    assert [m["title"] for m in by_investor["matches"]] == ["无刷电机"]


def test_an_enterprise_posts_space_on_offer_through_the_form(client, hongda, hongda_contact, zhouxiang):
    client.force_login(hongda_contact)

    response = client.post(reverse("markets-space-post"), {
        "side": "supply", "deal": "rent", "title": "一楼标准厂房", "town": zhouxiang.pk, "area_min_m2": "1200",
        "area_max_m2": "1200", "price_yuan": "18.5", "floor_min": "1", "floor_max": "1", "height_m": "8.0",
        "contact_name": "王芳", "contact_phone": "13812345678"})

    listing = SpaceListing.objects.get()
    assert response.status_code == 302 and listing.enterprise == hongda
    assert (listing.area_min_m2, listing.area_max_m2, listing.price_min_fen, listing.price_max_fen) == (
        1200, 1200, 1850, 1850)
    assert client.get(reverse("markets-space-home")).context["page"].object_list[0] == listing
