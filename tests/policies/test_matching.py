"""The match table (政策帮享): every subject against every published version, re-evaluated only where changed."""

from __future__ import annotations

import pytest
from django.utils.module_loading import import_string

from config.schedule import SCHEDULE
from enterprises.models import Enterprise, YearFigures
from policies import actions
from policies.matching import refresh_matches
from policies.models import Policy, PolicyMatch, PolicySubjectFacts

from .conftest import WAN, YEAR


@pytest.fixture
def matched(seeded, hongda_line, longteng):
    """The match table after a first refresh over 宏达 (with its project) and 龙腾."""
    refresh_matches(YEAR)
    return hongda_line


def rows(**filters):
    return {(m.version.policy.code, m.enterprise_id, m.project_id): m
            for m in PolicyMatch.objects.filter(**filters).select_related("version__policy")}


def test_eligible_and_unknown_results_are_stored_and_ineligible_ones_are_not(matched):
    project, hongda = matched, matched.enterprise
    table = rows()
    p1 = table["cixi-tech-upgrade", hongda.pk, project.pk]
    assert (p1.status, p1.amount_fen) == (PolicyMatch.Status.ELIGIBLE, 48 * WAN)
    assert table["cixi-two-integration", hongda.pk, project.pk].status == PolicyMatch.Status.UNKNOWN
    assert table["cixi-loan-interest", hongda.pk, None].amount_fen == 12_345_678
    assert ("cixi-smart-pilot", hongda.pk, project.pk) not in table  # not a pilot: ineligible, no row
    recorded = dict(PolicySubjectFacts.objects.values_list("subject", "facts_hash"))
    assert set(recorded) == {f"enterprise:{hongda.pk}", f"project:{project.pk}", f"enterprise:{matched.enterprise_id}",
                             *(f"enterprise:{pk}" for pk in Enterprise.objects.values_list("pk", flat=True))}
    assert all(len(digest) == 64 for digest in recorded.values())


def test_a_changed_fact_re_evaluates_only_that_subject(matched, longteng):
    hongda = matched.enterprise
    before = {key: m.evaluated_at for key, m in rows(enterprise=longteng).items()}
    assert before
    YearFigures.objects.filter(enterprise=hongda).update(mlt_loan_avg_daily_balance_fen=2_000 * WAN)

    counts = refresh_matches(YEAR)

    assert {key: m.evaluated_at for key, m in rows(enterprise=longteng).items()} == before
    assert rows()["cixi-loan-interest", hongda.pk, None].amount_fen == 20 * WAN
    # 宏达 and its project (which carries the enterprise's figures) were evaluated again, 龙腾 was not.
    assert counts["changed_subjects"] == 2


def test_nothing_is_written_when_nothing_changed(matched):
    before = {key: (m.pk, m.evaluated_at) for key, m in rows().items()}
    counts = refresh_matches(YEAR)
    assert (counts["written"], counts["deleted"], counts["changed_subjects"]) == (0, 0, 0)
    assert {key: (m.pk, m.evaluated_at) for key, m in rows().items()} == before


def test_a_newly_published_version_is_evaluated_for_every_subject(matched, longteng, policy_admin):
    hongda = matched.enterprise
    policy = Policy.objects.get(code="cixi-loan-interest")
    untouched = {key: m.evaluated_at for key, m in rows(enterprise=longteng).items() if key[0] != policy.code}
    version = actions.do_create_version(policy, acting_user=policy_admin, copy_test_cases=False,
                                        conditions=[{"name": "has_loans", "expression": "mlt_loan_avg_daily_balance > 0"}],
                                        amount_formula="mlt_loan_avg_daily_balance * 2%", cap_expression="50万")
    actions.publish_version(version, acting_user=policy_admin)

    counts = refresh_matches(YEAR)

    loan = {key: m for key, m in rows(version__policy=policy).items()}
    assert {m.version_id for m in loan.values()} == {version.pk}  # the retired version's rows are gone
    assert loan["cixi-loan-interest", hongda.pk, None].amount_fen == 24_691_356
    assert ("cixi-loan-interest", longteng.pk, None) in loan  # no loan figures: might qualify
    assert counts["new_versions"] == 1
    assert {k: m.evaluated_at for k, m in rows(enterprise=longteng).items() if k[0] != policy.code} == untouched


def test_the_policy_jobs_are_scheduled_and_importable():
    paths = {path for _name, _cron, path in SCHEDULE}
    assert {"policies.tasks.refresh_policy_matches", "policies.tasks.send_weekly_policy_push"} <= paths
    for path in paths:
        import_string(path)


def test_a_refresh_over_an_empty_registry_writes_nothing(seeded):
    counts = refresh_matches(YEAR)
    assert (counts["subjects"], counts["written"]) == (0, 0)
    assert not PolicyMatch.objects.exists()


def test_a_new_version_in_an_exclusive_group_re_evaluates_its_rivals(matched, policy_admin):
    """P2 no longer asks for a pilot: it now pays the project 90万, so P1's 48万 is no longer paid with it."""
    project = matched
    assert ("cixi-tech-upgrade", project.enterprise_id, project.pk) in rows()
    pilot = Policy.objects.get(code="cixi-smart-pilot")
    conditions = [c for c in pilot.published_version().conditions if c["name"] != "is_smart_pilot"]
    version = actions.do_create_version(pilot, acting_user=policy_admin, conditions=conditions,
                                        amount_formula="equipment_investment * 15%", cap_expression="500万")
    actions.publish_version(version, acting_user=policy_admin)

    refresh_matches(YEAR)

    table = rows(project=project)
    assert table["cixi-smart-pilot", project.enterprise_id, project.pk].amount_fen == 90 * WAN
    assert ("cixi-tech-upgrade", project.enterprise_id, project.pk) not in table


def test_a_run_for_another_year_starts_again_without_the_other_years_projects(matched):
    project = matched
    assert PolicyMatch.objects.filter(project=project).exists()
    counts = refresh_matches(YEAR - 1)
    assert not PolicyMatch.objects.filter(project=project).exists()  # a 2025 project is no 2024 subject
    assert counts["changed_subjects"] == counts["subjects"]
    assert not PolicySubjectFacts.objects.filter(subject=f"project:{project.pk}").exists()


def test_a_large_first_load_keeps_the_table_and_its_constraints(seeded, hongda_line, longteng, monkeypatch):
    from django.db import IntegrityError, connection, transaction

    from policies import matching

    monkeypatch.setattr(matching, "REBUILD_ROWS", 0)  # take the bulk path (indexes dropped, rebuilt)
    counts = refresh_matches(YEAR)
    assert PolicyMatch.objects.count() == counts["written"] > 0
    row = PolicyMatch.objects.filter(project__isnull=True).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyMatch.objects.create(version=row.version, enterprise=row.enterprise, status=row.status,
                                   evaluated_at=row.evaluated_at)
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, PolicyMatch._meta.db_table)
    assert {"policymatch_unique_enterprise", "policymatch_unique_project"} <= set(indexes)
    assert sum(1 for c in indexes.values() if c["index"]) >= 5
