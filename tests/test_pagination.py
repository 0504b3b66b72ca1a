"""Pages merged from disjoint parts are the pages of the whole list, in the same order."""

from __future__ import annotations

import pytest
from django.db.models import Q

from core.pagination import DeferredJoinPaginator
from reference.models import Town

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("ordering", [("name_zh", "id"), ("-name_zh", "-id"), ("-sort_order", "-id")])
def test_merged_pages_equal_the_pages_of_the_whole_list(reference, ordering):
    towns = Town.objects.order_by(*ordering)
    assert towns.count() > 10
    first_ids = list(Town.objects.order_by("id").values_list("id", flat=True)[:5])
    parts = [towns.filter(id__in=first_ids), towns.exclude(id__in=first_ids).filter(Q(id__gt=0))]

    merged = DeferredJoinPaginator(towns, 4, parts=parts)
    plain = DeferredJoinPaginator(towns, 4)
    for number in plain.page_range:
        assert [t.pk for t in merged.page(number)] == [t.pk for t in plain.page(number)]


def test_mixed_directions_are_refused(reference):
    towns = Town.objects.order_by("name_zh", "-id")
    with pytest.raises(ValueError):
        DeferredJoinPaginator(towns, 4, parts=[towns]).page(1)
