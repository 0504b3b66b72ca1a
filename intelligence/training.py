"""Where training examples come from: the seed corpus, closed demands and staff corrections."""

from __future__ import annotations

from django.conf import settings

from .classifier import Example, read_corpus

# A correction is a person telling the model it was wrong about this very kind of
# text; it must outweigh the several seed lines that taught the wrong answer.
CORRECTION_WEIGHT = float(getattr(settings, "QIFU_CORRECTION_WEIGHT", 8.0))


def department_code(organisation) -> str | None:
    """The taxonomy department code of a lead unit (a town window counts as ``town``)."""
    if organisation is None:
        return None
    if organisation.department_id:
        return organisation.department.code
    return "town" if organisation.kind == organisation.Kind.TOWN_WINDOW else None


def closed_demand_examples() -> list[Example]:
    """Closed demands with their final category and the lead unit's department."""
    from demands.models import Demand, Status

    demands = (Demand.objects.filter(status=Status.CLOSED, category__isnull=False)
               .select_related("category", "lead_unit__department").only(
                   "text", "category__code", "lead_unit__kind", "lead_unit__department__code"))
    return [Example(d.text, d.category.code, department_code(d.lead_unit)) for d in demands.iterator()]


def correction_examples() -> list[Example]:
    """The latest correction per demand and field, as weighted one-field examples."""
    from .models import Correction

    latest: dict[tuple[int, str], Correction] = {}
    for correction in Correction.objects.select_related("demand").order_by("created_at", "id"):
        latest[(correction.demand_id, correction.field)] = correction
    examples = []
    for correction in latest.values():
        labels = {"category": None, "department": None, correction.field: correction.chosen}
        examples.append(Example(correction.demand.text, weight=CORRECTION_WEIGHT, **labels))
    return examples


def all_examples() -> list[Example]:
    return read_corpus() + closed_demand_examples() + correction_examples()
