"""The facts a rule may use (policies.md, "Facts interchange format").

In a rule a money fact is written without ``_fen`` (``equipment_investment``); its
column in files, dicts and the database ends in ``_fen`` and holds integer fen.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext_lazy as _


class Type(enum.Enum):
    BOOL = "bool"
    MONEY = "money"
    NUMBER = "number"
    STRING = "string"

    @property
    def label(self) -> str:
        return str(TYPE_LABELS[self])


TYPE_LABELS = {
    Type.BOOL: _("yes/no"),
    Type.MONEY: _("amount of money"),
    Type.NUMBER: _("plain number"),
    Type.STRING: _("text"),
}


@dataclass(frozen=True)
class Fact:
    name: str  # as written in rules
    type: Type
    label: object

    @cached_property
    def column(self) -> str:
        """The column in facts files and dicts (money in fen); kept, since rules read it on every evaluation."""
        return f"{self.name}_fen" if self.type is Type.MONEY else self.name


FACTS: dict[str, Fact] = {
    fact.name: fact
    for fact in (
        Fact("is_manufacturing", Type.BOOL, _("industry is manufacturing")),
        Fact("industry_class", Type.STRING, _("Cixi reward class (A/B/C)")),
        Fact("ningbo_tier", Type.NUMBER, _("Ningbo reward tier (1/2/3)")),
        Fact("project_completed", Type.BOOL, _("project completed and in production")),
        Fact("is_smart_pilot", Type.BOOL, _("smart retrofit pilot")),
        Fact("is_special_project", Type.BOOL, _("special project")),
        Fact("fixed_asset_investment", Type.MONEY, _("fixed-asset investment excluding land")),
        Fact("equipment_investment", Type.MONEY, _("equipment investment")),
        Fact("tech_software_investment", Type.MONEY, _("purchased technology and software")),
        Fact("soft_investment", Type.MONEY, _("two-integration soft investment")),
        Fact("mlt_loan_avg_daily_balance", Type.MONEY, _("average daily balance of medium/long-term loans")),
        Fact("leasing_expenditure", Type.MONEY, _("financial-leasing expenditure")),
        Fact("leasing_interest", Type.MONEY, _("financial-leasing interest paid")),
        Fact("is_tech_sme", Type.BOOL, _("registered tech SME")),
        Fact("tech_service_spending", Type.MONEY, _("tech-service spending")),
        Fact("tax_paid", Type.MONEY, _("tax paid")),
        Fact("land_area_mu", Type.NUMBER, _("land area (mu)")),
    )
}

FACTS_BY_COLUMN: dict[str, Fact] = {fact.column: fact for fact in FACTS.values()}
