"""Payouts without application (免申即享): a list from the match table, reviewed and approved by the department."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from enterprises.models import YearFigures
from notifications.models import Notification
from policies import actions
from policies.matching import refresh_matches
from policies.models import PayoutBatch, PayoutLine, Policy
from policies.tasks import refresh_policy_matches
from tests.factories import make_user, read_xlsx

from .conftest import WAN, YEAR

LOAN = "cixi-loan-interest"  # P5, paid without application in the seed set


@pytest.fixture
def loans(hongda_2025, longteng, longteng_contact, hongda_contact):
    """宏达 with a 1234.5678万 loan balance (P5: 12.345678万) and 龙腾 with 8000万 (P5: capped at 50万)."""
    YearFigures.objects.create(enterprise=longteng, year=YEAR, mlt_loan_avg_daily_balance_fen=8_000 * WAN)
    return hongda_2025, longteng


@pytest.fixture
def batch(seeded, loans, policy_admin):
    refresh_matches(YEAR)
    version = Policy.objects.get(code=LOAN).published_version()
    return actions.do_generate_payouts(version, acting_user=policy_admin)


@pytest.fixture
def kjj_policy_admin(reference):
    """A policy administrator of the science and technology bureau: not the loan subsidy's department."""
    return make_user("zhengce_kjj", role=Role.Code.POLICY_ADMIN, org="dept_kjj", display_name="科技局政策员")


def lines(batch):
    return {line.enterprise.name: line for line in batch.lines.select_related("enterprise")}


def test_the_seed_loan_subsidy_is_paid_without_application_by_the_economy_bureau(seeded):
    policy = Policy.objects.get(code=LOAN)
    assert policy.auto_payout and policy.department.code == "jxj"
    assert not Policy.objects.exclude(code=LOAN).filter(auto_payout=True).exists()


def test_the_list_holds_every_eligible_enterprise_with_its_amount_and_facts(batch, loans):
    hongda, longteng = loans
    listed = lines(batch)
    assert set(listed) == {hongda.name, longteng.name}
    assert listed[hongda.name].amount_fen == 12_345_678
    assert listed[longteng.name].amount_fen == 50 * WAN  # 1% of 8000万 is 80万, capped at 50万
    assert listed[hongda.name].facts == {"mlt_loan_avg_daily_balance_fen": 1_234_567_800}
    assert {line.status for line in listed.values()} == {PayoutLine.Status.PENDING}
    assert (batch.year, batch.status, batch.version.policy.code) == (YEAR, PayoutBatch.Status.UNDER_REVIEW, LOAN)


def test_a_second_run_lists_only_newcomers(seeded, hongda_2025, longteng, policy_admin):
    refresh_matches(YEAR)
    version = Policy.objects.get(code=LOAN).published_version()
    first = actions.do_generate_payouts(version, acting_user=policy_admin)
    assert list(first.lines.values_list("enterprise__name", flat=True)) == [hongda_2025.name]
    assert actions.do_generate_payouts(version, acting_user=policy_admin) is None  # nobody new
    YearFigures.objects.create(enterprise=longteng, year=YEAR, mlt_loan_avg_daily_balance_fen=100 * WAN)
    YearFigures.objects.filter(enterprise=hongda_2025).update(mlt_loan_avg_daily_balance_fen=9_000 * WAN)
    refresh_matches(YEAR)

    second = actions.do_generate_payouts(version, acting_user=policy_admin)

    # 宏达's balance changed, but it is on this year's list already: only 龙腾 is new.
    assert [(line.enterprise_id, line.amount_fen) for line in second.lines.all()] == [(longteng.pk, 1 * WAN)]


def test_the_nightly_job_makes_the_list_after_the_refresh(seeded, loans):
    refresh_policy_matches.call()
    batch = PayoutBatch.objects.get()
    assert batch.run is not None and batch.lines.count() == 2
    refresh_policy_matches.call()
    assert PayoutBatch.objects.count() == 1


def test_a_policy_paid_on_application_makes_no_list(seeded, loans, policy_admin):
    refresh_matches(YEAR)
    version = Policy.objects.get(code="cixi-leasing").published_version()
    with pytest.raises(actions.PayoutRefused):
        actions.do_generate_payouts(version, acting_user=policy_admin)


def test_the_review_page_lists_totals_against_the_budget(client, batch, policy_admin, loans):
    Policy.objects.filter(code=LOAN).update(budget_fen=60 * WAN)
    client.force_login(policy_admin)
    page = client.get(reverse("policies-payout-batch", args=[batch.pk]))
    assert page.status_code == 200
    assert page.context["totals"].total_fen == 12_345_678 + 50 * WAN
    assert page.context["totals"].over_budget
    assert b'id="over-budget"' in page.content
    searched = client.get(reverse("policies-payout-batch", args=[batch.pk]), {"q": "龙腾"})
    assert [line.enterprise.name for line in searched.context["page"]] == [loans[1].name]


def test_the_list_exports_to_excel(client, batch, policy_admin, loans):
    client.force_login(policy_admin)
    response = client.get(reverse("policies-payout-export", args=[batch.pk]), {"status": "pending"})
    rows = read_xlsx(response.content)
    assert len(rows) == 3
    assert {row[1] for row in rows[1:]} == {loans[0].name, loans[1].name}
    assert {str(row[4]) for row in rows[1:]} == {"123456.78", "500000"}


def test_approving_the_list_notifies_each_enterprise_contact(client, batch, policy_admin, loans,
                                                             hongda_contact, longteng_contact, in_english):
    hongda, longteng = loans
    client.force_login(policy_admin)
    line = lines(batch)[longteng.name]
    client.post(reverse("policies-payout-decide", args=[batch.pk, line.pk]),
                {"decision": "reject", "reason": "贷款用途不符"})

    response = client.post(reverse("policies-payout-approve", args=[batch.pk]))

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == PayoutBatch.Status.APPROVED and batch.approved_by == policy_admin
    decided = lines(batch)
    assert decided[hongda.name].status == PayoutLine.Status.APPROVED
    assert (decided[longteng.name].status, decided[longteng.name].reason) == (PayoutLine.Status.REJECTED, "贷款用途不符")
    to_hongda = Notification.objects.get(recipient=hongda_contact)
    assert "123,456.78 yuan" in to_hongda.body
    to_longteng = Notification.objects.get(recipient=longteng_contact)
    assert "not approved (贷款用途不符)" in to_longteng.body


def test_a_rejection_needs_a_reason(client, batch, policy_admin, loans, in_english):
    client.force_login(policy_admin)
    line = lines(batch)[loans[1].name]
    response = client.post(reverse("policies-payout-decide", args=[batch.pk, line.pk]),
                           {"decision": "reject", "reason": "  "}, follow=True)
    line.refresh_from_db()
    assert line.status == PayoutLine.Status.PENDING
    assert "A rejection needs a reason." in response.content.decode()


def test_a_second_approval_is_refused(batch, policy_admin, loans, hongda_contact):
    actions.do_approve_payout_batch(batch, acting_user=policy_admin)
    sent = Notification.objects.count()
    with translation.override("en"), pytest.raises(actions.PayoutRefused, match="already approved"):
        actions.do_approve_payout_batch(batch, acting_user=policy_admin)
    with pytest.raises(actions.PayoutRefused):
        actions.do_decide_payout_line(batch.lines.first(), acting_user=policy_admin, approve=False, reason="晚了")
    assert Notification.objects.count() == sent


def test_a_second_approval_through_the_page_says_so(client, batch, policy_admin, in_english):
    client.force_login(policy_admin)
    client.post(reverse("policies-payout-approve", args=[batch.pk]))
    response = client.post(reverse("policies-payout-approve", args=[batch.pk]), follow=True)
    assert "already approved" in response.content.decode()


@pytest.mark.parametrize("who", ["kjj_policy_admin", "department_handler", "hongda_contact", "system_admin"])
def test_nobody_outside_the_department_sees_or_approves_the_list(client, batch, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("policies-payout-batch", args=[batch.pk])).status_code == 404
    assert client.get(reverse("policies-payout-export", args=[batch.pk])).status_code == 404
    assert client.post(reverse("policies-payout-approve", args=[batch.pk])).status_code == 404
    line = batch.lines.first()
    assert client.post(reverse("policies-payout-decide", args=[batch.pk, line.pk]),
                       {"decision": "approve"}).status_code == 404
    batch.refresh_from_db()
    assert batch.status == PayoutBatch.Status.UNDER_REVIEW
    assert not batch.lines.exclude(status=PayoutLine.Status.PENDING).exists()


def test_the_department_makes_a_list_from_the_page(client, seeded, loans, policy_admin):
    refresh_matches(YEAR)
    client.force_login(policy_admin)
    listing = client.get(reverse("policies-payouts"))
    assert [v.policy.code for v in listing.context["versions"]] == [LOAN]
    response = client.post(reverse("policies-payout-generate", args=[LOAN]))
    batch = PayoutBatch.objects.get()
    assert response.url == reverse("policies-payout-batch", args=[batch.pk])
    assert client.get(reverse("policies-payouts")).context["page"].paginator.count == 1


def test_every_decision_is_in_the_operation_log(batch, policy_admin, loans):
    from auditlog.models import LogEntry

    line = lines(batch)[loans[0].name]
    actions.do_decide_payout_line(line, acting_user=policy_admin, approve=True)
    entries = LogEntry.objects.get_for_object(line)
    assert entries.count() == 2  # created with the list, then approved
    assert entries.filter(actor=policy_admin).count() == 2


def test_the_demo_command_refreshes_the_matches_and_makes_the_lists(seeded, loans):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("refresh_policy_matches", stdout=out)
    assert "payout list" in out.getvalue()
    assert PayoutBatch.objects.get().lines.count() == 2


def test_the_review_page_needs_the_same_queries_however_long_the_list(client, batch, policy_admin, hongda_line):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(policy_admin)
    url = reverse("policies-payout-batch", args=[batch.pk])
    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as two_lines:
        client.get(url)
    PayoutLine.objects.create(batch=batch, enterprise=hongda_line.enterprise, project=hongda_line,
                              amount_fen=1, facts={})
    with CaptureQueriesContext(connection) as three_lines:
        assert len(client.get(url).context["page"].object_list) == 3
    assert len(three_lines) == len(two_lines) <= 14
