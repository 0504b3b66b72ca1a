"""Policy staff write a new rule version on the page and publish it only when its test cases pass."""

from __future__ import annotations

import pytest
from django.urls import reverse

from policies.models import Policy, PolicyVersion

pytestmark = pytest.mark.django_db

P1 = "cixi-tech-upgrade"


def new_version(client, **changes):
    url = reverse("policies-version-new", args=[P1])
    data = {**client.get(url).context["form"].initial, "change_note": "改费率", **changes}
    return client.post(url, data)


def test_a_changed_rate_fails_its_test_cases_and_is_not_published(client, seeded, policy_admin):
    client.force_login(policy_admin)
    # When the administrator writes class A at 10% instead of 8%
    form = client.get(reverse("policies-version-new", args=[P1])).context["form"]
    amount = form.initial["amount_formula"].replace("8%", "10%")
    assert new_version(client, amount_formula=amount).status_code == 302
    draft = Policy.objects.get(code=P1).versions.get(status=PolicyVersion.Status.DRAFT)
    # Then publishing is refused, naming the failing case, and version 1 stays in force
    response = client.post(reverse("policies-version-publish", args=[P1, draft.number]), follow=True)
    text = " ".join(str(m) for m in response.context["messages"])
    assert "class A, equipment 600万" in text
    draft.refresh_from_db()
    assert draft.status == PolicyVersion.Status.DRAFT
    assert Policy.objects.get(code=P1).versions.get(status=PolicyVersion.Status.PUBLISHED).number == 1


def test_an_unchanged_rule_with_passing_cases_is_published(client, seeded, policy_admin):
    client.force_login(policy_admin)
    new_version(client)
    draft = Policy.objects.get(code=P1).versions.get(status=PolicyVersion.Status.DRAFT)
    client.post(reverse("policies-version-publish", args=[P1, draft.number]))
    draft.refresh_from_db()
    assert draft.status == PolicyVersion.Status.PUBLISHED


def test_an_unsafe_rule_is_refused_with_its_position(client, seeded, policy_admin):
    client.force_login(policy_admin)
    response = new_version(client, amount_formula="equipment_investment * 8% ; DROP TABLE x")
    assert response.status_code == 200
    # the page is in Chinese: "remove the semicolon … (at character 27)", where the ';' is
    errors = " ".join(response.context["form"].non_field_errors())
    assert "分号" in errors and "第 27 个字符" in errors
    assert Policy.objects.get(code=P1).versions.count() == 1


def test_only_policy_staff_may_write_versions(client, seeded, zhouxiang_clerk):
    client.force_login(zhouxiang_clerk)
    assert client.get(reverse("policies-version-new", args=[P1])).status_code == 404
    assert client.post(reverse("policies-version-publish", args=[P1, 1])).status_code == 404
