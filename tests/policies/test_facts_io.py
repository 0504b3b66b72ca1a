"""Facts in and out of the registry in the interchange format of policies.md (import_facts / export_facts)."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from enterprises.models import Project, YearFigures
from policies import actions
from policies.facts_io import FactsImportError

from .conftest import WAN, YEAR


@pytest.fixture
def registry(hongda_line, longteng):
    """宏达 with loans and a 600万 project, 龙腾 with land, tax and leasing figures."""
    YearFigures.objects.create(enterprise=longteng, year=YEAR, tax_paid_fen=40 * WAN, land_area_mu=Decimal("10.25"),
                               leasing_expenditure_fen=100 * WAN, leasing_interest_fen=80_000_100)
    Project.objects.filter(pk=hongda_line.pk).update(ningbo_tier=2, soft_investment_fen=2**40,
                                                     is_smart_pilot=True)
    return hongda_line.enterprise, longteng, hongda_line


def snapshot():
    figures = {(f.enterprise_id, f.year): (f.tax_paid_fen, f.land_area_mu, f.mlt_loan_avg_daily_balance_fen,
                                           f.leasing_expenditure_fen, f.leasing_interest_fen,
                                           f.tech_service_spending_fen)
               for f in YearFigures.objects.all()}
    projects = {p.pk: (p.industry_class, p.ningbo_tier, p.completed, p.is_smart_pilot, p.is_special_project,
                       p.fixed_asset_investment_fen, p.equipment_investment_fen, p.tech_software_investment_fen,
                       p.soft_investment_fen) for p in Project.objects.all()}
    return figures, projects


def write_csv(tmp_path, text: str):
    path = tmp_path / "facts.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", ["parquet", "csv", "xlsx"])
def test_export_then_import_gives_back_the_same_registry(registry, tmp_path, suffix):
    path = tmp_path / f"facts.{suffix}"
    call_command("export_facts", "--out", str(path), "--year", str(YEAR))
    before = snapshot()
    YearFigures.objects.all().delete()
    Project.objects.update(industry_class="", ningbo_tier=None, soft_investment_fen=None,
                           equipment_investment_fen=None, is_smart_pilot=False)

    call_command("import_facts", "--file", str(path))

    assert snapshot() == before
    again = tmp_path / f"again.{suffix}"
    call_command("export_facts", "--out", str(again), "--year", str(YEAR))
    if suffix != "xlsx":  # an xlsx file carries its own timestamps
        assert _read(again).equals(_read(path))


def _read(path):
    return pl.read_parquet(path) if path.suffix == ".parquet" else pl.read_csv(path, infer_schema=False)


def test_the_export_is_in_the_facts_format(registry, tmp_path):
    hongda, longteng, project = registry
    path = tmp_path / "facts.parquet"
    call_command("export_facts", "--out", str(path), "--year", str(YEAR))
    frame = pl.read_parquet(path)
    rows = {row["subject_id"]: row for row in frame.to_dicts()}
    assert set(rows) == {f"enterprise:{hongda.pk}", f"enterprise:{longteng.pk}", f"project:{project.pk}"}
    assert rows[f"enterprise:{hongda.pk}"]["mlt_loan_avg_daily_balance_fen"] == 1_234_567_800
    assert rows[f"project:{project.pk}"]["soft_investment_fen"] == 2**40
    assert frame.schema["equipment_investment_fen"] == pl.Int64
    # The export feeds the batch command as it is.
    out = tmp_path / "results.parquet"
    call_command("seed_policies")
    call_command("evaluate_policies", "--facts", str(path), "--out", str(out))
    results = pl.read_parquet(out).filter(pl.col("subject_id") == f"project:{project.pk}")
    # A smart pilot: P2 (15% of 600万) beats P1 (48万) in their exclusive group.
    assert dict(zip(results["policy_code"], results["amount_fen"], strict=True))["cixi-smart-pilot"] == 90 * WAN
    assert "cixi-tech-upgrade" not in results["policy_code"].to_list()


BAD = (
    "subject_id,year,tax_paid_fen,land_area_mu,equipment_investment_fen,industry_class,project_completed\n"
    "enterprise:{hongda},2025,400000,10,,,\n"
    "enterprise:{longteng},2025,12.5,abc,,,\n"
    "enterprise:999999,2025,1,,,,\n"
    "project:{project},2025,,,-5,D,maybe\n"
    "enterprise:{hongda},2025,1,,,,\n"
)


def bad_file(tmp_path, registry):
    hongda, longteng, project = registry
    return write_csv(tmp_path, BAD.format(hongda=hongda.pk, longteng=longteng.pk, project=project.pk))


def test_every_bad_cell_is_reported_with_its_row_and_column(registry, tmp_path, in_english):
    report = actions.do_import_facts(bad_file(tmp_path, registry))
    found = {(e.row, e.column): e.reason for e in report.errors}
    assert found == {
        (3, "tax_paid_fen"): "should be whole fen (an integer)",
        (3, "land_area_mu"): "should be a number",
        (4, "subject_id"): "there is no enterprise 999999",
        (5, "equipment_investment_fen"): "must not be negative",
        (5, "industry_class"): "should be A, B or C",
        (5, "project_completed"): "should be true or false",
        (6, "subject_id"): "the same subject and year are on row 2",
    }
    assert report.bad_rows == 4 and report.rows == 5


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(registry, tmp_path, in_english):
    hongda = registry[0]
    before = snapshot()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_facts", "--file", str(bad_file(tmp_path, registry)), "--mode", "all-or-nothing")
    assert snapshot() == before
    assert YearFigures.objects.get(enterprise=hongda).tax_paid_fen is None


def test_valid_only_imports_the_good_rows(registry, tmp_path):
    hongda, longteng, _project = registry
    call_command("import_facts", "--file", str(bad_file(tmp_path, registry)), "--mode", "valid-only")
    assert YearFigures.objects.get(enterprise=hongda).tax_paid_fen == 400_000
    assert YearFigures.objects.get(enterprise=hongda).mlt_loan_avg_daily_balance_fen == 1_234_567_800  # no column
    assert YearFigures.objects.get(enterprise=longteng).tax_paid_fen == 40 * WAN  # its row was bad


def test_credit_codes_and_a_year_option_are_accepted(registry, tmp_path):
    hongda, _longteng, _project = registry
    path = write_csv(tmp_path, f"subject_id,tech_service_spending_fen\n{hongda.credit_code},300000\n")
    with pytest.raises(CommandError, match="year"):
        call_command("import_facts", "--file", str(path))
    call_command("import_facts", "--file", str(path), "--year", "2024")
    assert YearFigures.objects.get(enterprise=hongda, year=2024).tech_service_spending_fen == 300_000


def test_a_file_without_subject_ids_is_refused(registry, tmp_path):
    with pytest.raises(FactsImportError):
        actions.do_import_facts(write_csv(tmp_path, "id,year\n1,2025\n"))


def test_an_import_is_in_the_operation_log(registry, tmp_path, policy_admin):
    from auditlog.models import LogEntry

    project = registry[2]
    path = write_csv(tmp_path, f"subject_id,year,equipment_investment_fen\nproject:{project.pk},{YEAR},700000000\n")
    report = actions.do_import_facts(path, acting_user=policy_admin)
    assert report.projects_updated == 1
    entry = LogEntry.objects.get_for_object(project).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == policy_admin and entry.changes["equipment_investment_fen"][1] == "700000000"


def test_a_policy_administrator_uploads_a_file_and_reads_the_report(client, registry, tmp_path, policy_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(policy_admin)
    content = bad_file(tmp_path, registry).read_bytes()
    response = client.post(reverse("policies-facts-import"), {
        "file": SimpleUploadedFile("facts.csv", content, content_type="text/csv"), "mode": "valid-only"})
    report = response.context["report"]
    assert report.imported and report.bad_rows == 4
    assert b'data-row="5" data-column="industry_class"' in response.content
    assert YearFigures.objects.get(enterprise=registry[0]).tax_paid_fen == 400_000


def test_the_upload_page_is_for_policy_administrators_only(client, zhouxiang_clerk):
    from django.urls import reverse

    client.force_login(zhouxiang_clerk)
    assert client.get(reverse("policies-facts-import")).status_code == 404
