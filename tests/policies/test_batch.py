"""evaluate_policies: a facts file in, the long results file out (policies.md)."""

from __future__ import annotations

import polars as pl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English (the msgids); zh-Hans is covered by the .po."""
    with translation.override("en"):
        yield

WAN = 1_000_000

ROWS = [
    {"subject_id": 1, "is_manufacturing": True, "project_completed": True, "industry_class": "A",
     "is_smart_pilot": True, "equipment_investment_fen": 1000 * WAN},
    {"subject_id": 2, "is_manufacturing": True, "project_completed": True, "industry_class": "A",
     "is_smart_pilot": False, "equipment_investment_fen": 499_990_000},
    {"subject_id": 3, "tax_paid_fen": 40 * WAN, "land_area_mu": None},
]


def run(tmp_path, frame: pl.DataFrame, suffix: str, *policies: str) -> pl.DataFrame:
    facts, out = tmp_path / f"facts.{suffix}", tmp_path / "results.parquet"
    frame.write_parquet(facts) if suffix == "parquet" else frame.write_csv(facts)
    args = ["--facts", str(facts), "--out", str(out)]
    call_command("evaluate_policies", *args, *(["--policy", *policies] if policies else []))
    return pl.read_parquet(out)


def rows_of(results: pl.DataFrame) -> set[tuple]:
    return set(results.select("subject_id", "policy_code", "status", "amount_fen").iter_rows())


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
def test_the_command_writes_eligible_and_unknown_rows(seeded, tmp_path, suffix):
    frame = pl.DataFrame(ROWS, schema_overrides={"land_area_mu": pl.Decimal(12, 2)})
    results = run(tmp_path, frame, suffix, "cixi-tech-upgrade", "cixi-smart-pilot", "mujun-low-efficiency")
    assert results.schema["amount_fen"] == pl.Int64
    assert rows_of(results) == {
        (1, "cixi-smart-pilot", "eligible", 150 * WAN),  # P1 (80万) left out
        (3, "cixi-tech-upgrade", "unknown", None),
        (3, "cixi-smart-pilot", "unknown", None),
        (3, "mujun-low-efficiency", "unknown", None),
        # The projects have no land area: without a subject_kind column every rule applies.
        (1, "mujun-low-efficiency", "unknown", None),
        (2, "mujun-low-efficiency", "unknown", None),
    }


def test_a_subject_kind_column_keeps_each_row_to_the_policies_of_its_kind(seeded, tmp_path):
    kinds = ["project", "project", "enterprise"]
    frame = pl.DataFrame([{**row, "subject_kind": kind} for row, kind in zip(ROWS, kinds, strict=True)],
                         schema_overrides={"land_area_mu": pl.Decimal(12, 2)})
    results = run(tmp_path, frame, "parquet", "cixi-tech-upgrade", "cixi-smart-pilot", "mujun-low-efficiency")
    assert rows_of(results) == {
        (1, "cixi-smart-pilot", "eligible", 150 * WAN),
        (3, "mujun-low-efficiency", "unknown", None),
    }


def test_without_a_library_the_seed_file_is_used(db, tmp_path):
    results = run(tmp_path, pl.DataFrame([{"subject_id": "a", "soft_investment_fen": 200 * WAN}]), "parquet",
                  "cixi-two-integration")
    assert rows_of(results) == {("a", "cixi-two-integration", "eligible", 30 * WAN)}


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("evaluate_policies", "--facts", str(tmp_path / "nope.parquet"), "--out", str(tmp_path / "o"))


def test_an_unreadable_file_is_a_clear_error(db, tmp_path):
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not parquet at all")
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("evaluate_policies", "--facts", str(broken), "--out", str(tmp_path / "o.parquet"))


def test_money_as_floating_point_is_refused(db, tmp_path):
    frame = pl.DataFrame({"subject_id": [1], "equipment_investment_fen": [5e8]})
    with pytest.raises(CommandError, match="equipment_investment_fen"):
        run(tmp_path, frame, "parquet")


def test_text_in_a_money_column_of_a_csv_is_refused(db, tmp_path):
    (tmp_path / "facts.csv").write_text("subject_id,soft_investment_fen\n1,lots\n", encoding="utf-8")
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("evaluate_policies", "--facts", str(tmp_path / "facts.csv"), "--out",
                     str(tmp_path / "o.parquet"))


def test_an_unknown_policy_code_is_refused(seeded, tmp_path):
    with pytest.raises(CommandError, match="no-such-policy"):
        run(tmp_path, pl.DataFrame(ROWS[:1]), "parquet", "no-such-policy")


def test_an_excel_facts_file_is_read(seeded, tmp_path):
    from tests.factories import xlsx_file

    facts = tmp_path / "facts.xlsx"
    facts.write_bytes(xlsx_file(["subject_id", "tax_paid_fen", "land_area_mu"], [[7, 40 * WAN, 10.5], [8, 40 * WAN, 0]]))
    call_command("evaluate_policies", "--facts", str(facts), "--out", str(tmp_path / "o.parquet"),
                 "--policy", "mujun-low-efficiency")
    assert rows_of(pl.read_parquet(tmp_path / "o.parquet")) == {(7, "mujun-low-efficiency", "eligible", None)}
