"""The platform's own records as facts (the interchange format of policies.md).

An enterprise subject is one enterprise with one year's figures; a project subject is
a project joined with its enterprise's facts of the project's year.  Subject ids in a
table are ``enterprise:<id>`` / ``project:<id>`` so that both kinds fit in one file.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from enterprises.models import Enterprise, Project, YearFigures

from .rules.facts import FACTS, Type

FIGURE_FACTS = ("mlt_loan_avg_daily_balance_fen", "leasing_expenditure_fen", "leasing_interest_fen",
                "tech_service_spending_fen", "tax_paid_fen", "land_area_mu")
PROJECT_FACTS = ("ningbo_tier", "is_smart_pilot", "is_special_project", "fixed_asset_investment_fen",
                 "equipment_investment_fen", "tech_software_investment_fen", "soft_investment_fen")


def enterprise_facts(enterprise: Enterprise, year: int) -> dict[str, Any]:
    """The facts of one enterprise in one year; a figure not reported is missing (None)."""
    figures = YearFigures.objects.filter(enterprise=enterprise, year=year).first()
    return _enterprise_row(enterprise, figures, set(enterprise.tags.values_list("code", flat=True)))


def _enterprise_row(enterprise: Enterprise, figures: YearFigures | None, tag_codes: set[str]) -> dict[str, Any]:
    return {
        "subject_kind": "enterprise",
        "is_manufacturing": enterprise.is_manufacturing if enterprise.industry_code else None,
        "is_tech_sme": "tech_sme" in tag_codes,
    } | {column: getattr(figures, column, None) for column in FIGURE_FACTS}


def _project_row(project: Project, enterprise_row: dict[str, Any]) -> dict[str, Any]:
    return enterprise_row | {
        "subject_kind": "project",
        "industry_class": project.industry_class or None,
        "project_completed": project.completed,
    } | {column: getattr(project, column) for column in PROJECT_FACTS}


def project_facts(project: Project, enterprise_row: dict[str, Any] | None = None) -> dict[str, Any]:
    """The facts of one project, with its enterprise's facts of the project's year (or ``enterprise_row``)."""
    if enterprise_row is None:
        enterprise_row = enterprise_facts(project.enterprise, project.year)
    return _project_row(project, enterprise_row)


def facts_frame(year: int) -> pl.DataFrame:
    """Every enterprise (with its figures of ``year``) and every project of ``year``, one row each."""
    enterprises = Enterprise.objects.prefetch_related("tags")
    figures = {f.enterprise_id: f for f in YearFigures.objects.filter(year=year)}
    by_enterprise = {}
    rows = []
    for enterprise in enterprises:
        facts = _enterprise_row(enterprise, figures.get(enterprise.pk), {tag.code for tag in enterprise.tags.all()})
        by_enterprise[enterprise.pk] = facts
        rows.append({"subject_id": f"enterprise:{enterprise.pk}", **facts})
    for project in Project.objects.filter(year=year):
        rows.append({"subject_id": f"project:{project.pk}", **_project_row(project, by_enterprise[project.enterprise_id])})
    return pl.DataFrame(rows, schema=SCHEMA)


SCHEMA = {"subject_id": pl.String, "subject_kind": pl.String} | {
    fact.column: {Type.BOOL: pl.Boolean, Type.STRING: pl.String, Type.MONEY: pl.Int64,
                  Type.NUMBER: pl.Int64}[fact.type] if fact.name != "land_area_mu" else pl.Decimal(14, 2)
    for fact in FACTS.values()
}
