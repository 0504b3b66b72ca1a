"""The classifier's suggestions at the accept and route steps, and what staff chose instead.

The window sees the suggested category (and the top three) when accepting, and the
suggested handling department when routing; whatever they pick, a difference from the
suggestion is recorded as a correction, which the next training run weighs heavily.
"""

from __future__ import annotations

from accounts.models import Organisation
from intelligence import actions as intelligence_actions
from intelligence.classifier import Suggestion, suggest
from reference.models import Category, Department

TOWN = "town"  # the department code of "the local town government" (taxonomy.yaml)


def for_demand(demand) -> Suggestion:
    """The suggestion for the demand's text, computed once per demand object."""
    if getattr(demand, "_suggestion", None) is None:
        demand._suggestion = suggest(f"{demand.title}\n{demand.text}")
    return demand._suggestion


def unit_for(department_code: str, demand) -> Organisation | None:
    """The organisation that handles for a department code: its office, or the demand's town window."""
    if department_code == TOWN:
        code = f"window_{demand.town.code}" if demand.town_id else ""
    else:
        code = f"dept_{department_code}"
    return Organisation.objects.filter(code=code, is_active=True).first()


def department_of(unit: Organisation) -> str:
    """The department code a handling unit stands for (a town window is "town")."""
    if unit.kind == Organisation.Kind.TOWN_WINDOW:
        return TOWN
    return unit.department.code if unit.department_id else ""


def help_text(pairs: list[tuple[str, float]], names: dict[str, str]) -> str:
    """"水电气要素保障 92% · 其他 4% · …" for the form's help line."""
    return " · ".join(f"{names.get(code, code)} {round(100 * p)}%" for code, p in pairs)


def category_names() -> dict[str, str]:
    return dict(Category.objects.values_list("code", "name_zh"))


def department_names() -> dict[str, str]:
    return dict(Department.objects.values_list("code", "name_zh"))


def record_category(demand, suggested: str, chosen: str, *, acting_user) -> None:
    if suggested and chosen:
        intelligence_actions.do_record_correction(demand, "category", suggested, chosen, acting_user=acting_user)


def record_department(demand, suggested: str, unit: Organisation, *, acting_user) -> None:
    chosen = department_of(unit)
    if suggested and chosen:
        intelligence_actions.do_record_correction(demand, "department", suggested, chosen, acting_user=acting_user)
