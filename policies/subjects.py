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
    """Every enterprise (with its figures of ``year``) and every project of ``year``, one row each.

    The same rows as ``enterprise_facts`` / ``project_facts`` give one at a time, read
    with four plain queries (no model instances: 30,000 enterprises in about a second).
    """
    tech_sme = set(Enterprise.tags.through.objects.filter(enterprisetag__code="tech_sme")
                   .values_list("enterprise_id", flat=True))
    figures = {row.pop("enterprise_id"): row for row in
               YearFigures.objects.filter(year=year).values("enterprise_id", *FIGURE_FACTS)}
    empty = dict.fromkeys(FIGURE_FACTS)
    by_enterprise = {}
    rows = []
    for pk, industry_code in Enterprise.objects.order_by("name", "id").values_list("pk", "industry_code"):
        facts = {
            "subject_kind": "enterprise",
            "is_manufacturing": industry_code.startswith("C") if industry_code else None,
            "is_tech_sme": pk in tech_sme,
        } | figures.get(pk, empty)
        by_enterprise[pk] = facts
        rows.append({"subject_id": f"enterprise:{pk}", **facts})
    for project in Project.objects.filter(year=year).order_by("-year", "id").values(
        "pk", "enterprise_id", "industry_class", "completed", *PROJECT_FACTS
    ):
        rows.append({"subject_id": f"project:{project['pk']}", **by_enterprise[project["enterprise_id"]],
                     "subject_kind": "project", "industry_class": project["industry_class"] or None,
                     "project_completed": project["completed"], **{c: project[c] for c in PROJECT_FACTS}})
    return pl.DataFrame(rows, schema=SCHEMA)


SCHEMA = {"subject_id": pl.String, "subject_kind": pl.String} | {
    fact.column: {Type.BOOL: pl.Boolean, Type.STRING: pl.String, Type.MONEY: pl.Int64,
                  Type.NUMBER: pl.Int64}[fact.type] if fact.name != "land_area_mu" else pl.Decimal(14, 2)
    for fact in FACTS.values()
}


def subjects_facts(enterprise_ids: list[int], project_ids: list[int], year: int) -> dict[str, dict[str, Any]]:
    """The facts of some enterprises (with their figures of ``year``) and projects, keyed by subject id.

    The same rows as ``facts_frame`` gives, for a few subjects, in a handful of queries.
    """
    projects = list(Project.objects.filter(pk__in=project_ids))
    wanted = set(enterprise_ids) | {project.enterprise_id for project in projects}
    enterprises = Enterprise.objects.filter(pk__in=wanted).prefetch_related("tags")
    figures = {f.enterprise_id: f for f in YearFigures.objects.filter(year=year, enterprise_id__in=wanted)}
    own = {e.pk: _enterprise_row(e, figures.get(e.pk), {t.code for t in e.tags.all()}) for e in enterprises}
    facts = {f"enterprise:{pk}": own[pk] for pk in enterprise_ids if pk in own}
    for project in projects:
        facts[f"project:{project.pk}"] = _project_row(project, own[project.enterprise_id])
    return facts
