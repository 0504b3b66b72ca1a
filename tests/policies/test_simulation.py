"""Budget simulation: what P1 would pay this year's projects, against its budget, beside a draft."""

from __future__ import annotations

import pytest
from django.urls import reverse

from enterprises import actions as enterprise_actions
from enterprises.models import Project
from policies import actions
from policies.models import Policy
from policies.simulation import simulate

pytestmark = pytest.mark.django_db

WAN = 1_000_000


@pytest.fixture
def projects(hongda, longteng, system_admin):
    """Three completed projects of 2025: 宏达 A 600万 and C 6000万, 龙腾 B 1000万; one too small."""
    for enterprise in (hongda, longteng):
        enterprise_actions.do_update_enterprise(enterprise, acting_user=system_admin, industry_code="C3851")
    for enterprise, klass, equipment in ((hongda, "A", 600), (hongda, "C", 6000), (longteng, "B", 1000),
                                         (longteng, "A", 400)):
        Project.objects.create(enterprise=enterprise, name=f"{klass}{equipment}", year=2025, industry_class=klass,
                               completed=True, equipment_investment_fen=equipment * WAN)


def test_the_simulation_counts_and_sums_the_eligible_projects_by_class_and_town(seeded, projects):
    p1 = Policy.objects.get(code="cixi-tech-upgrade").published_version()
    run = simulate(p1, 2025)
    # 48万 + 200万 (capped) + 60万; the 400万 project is below the threshold
    assert (run.subjects, run.total_fen) == (3, 308 * WAN)
    assert sorted(run.by["industry_class"]) == [("A", 1, 48 * WAN), ("B", 1, 60 * WAN), ("C", 1, 200 * WAN)]
    assert {name: fen for name, _n, fen in run.by["town"]} == {"周巷镇": 248 * WAN, "龙山镇": 60 * WAN}


def test_a_draft_with_a_lower_rate_is_shown_beside_the_version_in_force(client, seeded, projects, policy_admin):
    policy = Policy.objects.get(code="cixi-tech-upgrade")
    policy.budget_fen = 300 * WAN
    policy.save()
    current = policy.published_version()
    draft = actions.do_create_version(policy, acting_user=policy_admin, conditions=current.conditions,
                                      amount_formula=current.amount_formula.replace("8%", "6%"),
                                      cap_expression=current.cap_expression, change_note="A类6%")
    client.force_login(policy_admin)
    response = client.get(reverse("policies-simulation", args=[policy.code]), {"year": 2025, "against": draft.number})
    runs = {run.version.number: run.total_fen for run in response.context["runs"]}
    # 36万 instead of 48万 for the class-A project: 296万, now under the 300万 budget
    assert runs == {current.number: 308 * WAN, draft.number: 296 * WAN}
    html = response.content.decode()
    assert f'data-version="{current.number}"' in html and 'data-over-budget="1"' in html
    assert 'data-over-budget="0"' in html
    assert response.context["chart"]["budget"] == 300 * WAN


def test_the_simulation_is_for_staff_only(client, seeded, hongda_contact):
    client.force_login(hongda_contact)
    assert client.get(reverse("policies-simulation", args=["cixi-tech-upgrade"])).status_code == 404
