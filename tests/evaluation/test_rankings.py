"""慈榜: league tables as data, city-wide or per town, with the enterprise's own place."""

from __future__ import annotations

import pytest
from django.urls import reverse

from enterprises.models import YearFigures
from evaluation import actions
from evaluation.models import RankingTable
from evaluation.seeding import seed_zone

from .conftest import WAN, YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def tables(reference):
    seed_zone()
    return {t.code: t for t in RankingTable.objects.all()}


def _names(sections):
    return [[row["name"][2:4] for row in s["rows"]] for s in sections]


def test_tax_per_mu_above_scale_city_wide_and_per_town(client, tables, round_, evaluation_admin):
    actions.do_open_confirmation(round_, acting_user=evaluation_admin)
    client.force_login(evaluation_admin)
    page = client.get(reverse("evaluation-rankings"), {"year": YEAR})
    by_code = {t["table"].code: t["sections"] for t in page.context["tables"]}
    assert _names(by_code["tax_per_mu_city"]) == [["E2", "E1", "E4"]]  # 45, 30, 6 万/亩; E3 has no land on file
    assert [s["title"] for s in by_code["tax_per_mu_town"]] == ["周巷镇", "龙山镇"]
    assert _names(by_code["tax_per_mu_town"])[1] == ["E7", "E6", "E9"]
    assert _names(by_code["score_town"])[0] == ["E1", "E2", "E3", "E4", "E5"]


def test_tax_growth_needs_last_years_tax(tables, firms):
    YearFigures.objects.create(enterprise=firms["E1"], year=YEAR - 1, tax_paid_fen=200 * WAN)
    from evaluation.rankings import league

    (section,) = league(tables["tax_growth_city"], YEAR)
    assert [(r["name"][2:4], r["value"]) for r in section["rows"]] == [("E1", 50.0)]


def test_an_enterprise_sees_its_own_place(client, tables, round_, firms, evaluation_admin):
    from accounts.models import Role
    from tests.factories import make_user

    actions.do_open_confirmation(round_, acting_user=evaluation_admin)
    contact = make_user("e4_contact", role=Role.Code.ENTERPRISE_CONTACT, enterprise=firms["E4"])
    client.force_login(contact)
    page = client.get(reverse("evaluation-rankings"), {"year": YEAR})
    mine = {t["table"].code: t["mine"] for t in page.context["tables"]}
    assert mine["tax_per_mu_city"] == {"rank": 3, "size": 3, "value": 6.0}
