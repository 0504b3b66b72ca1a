"""Pagination for large tables: counts that stop early, pages found by id first."""

import heapq
import itertools

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows: a search for 电器 need not count 40,000 matches
    to show the first page.  ``capped`` tells the template to say "more than"."""

    def __init__(self, object_list, per_page, cap: int = 1000, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        return min(self.object_list.order_by()[: self.cap + 1].count(), self.cap + 1)

    @property
    def capped(self) -> bool:
        return self.count > self.cap


class DeferredJoinPaginator(Paginator):
    """Finds a page's ids with a narrow query, then loads only those rows.

    Sorting a large scope (a town's 100,000 demands) by date costs little when each row
    is an id and a date, and much when it carries every column and join; deep pages
    (page 20, 50 …) gain most.

    With ``parts`` (disjoint querysets whose union is ``object_list``, e.g. a town's own
    demands and those routed to its window), each part gives its first ids in the list's
    order through its own index and the runs are merged: no part has to be sorted whole.
    """

    def __init__(self, object_list, per_page, parts=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.parts = parts

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self._ids(bottom, bottom + self.per_page)
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)

    def _ids(self, bottom: int, top: int) -> list:
        if self.parts is None:
            return list(self.object_list.values_list("pk", flat=True)[bottom:top])
        ordering = list(self.object_list.query.order_by)
        descending = {field.startswith("-") for field in ordering}
        if len(descending) != 1:
            raise ValueError("Merged pages need every ordering field in the same direction.")
        fields = [field.lstrip("-") for field in ordering]
        runs = [part.order_by(*ordering).values_list(*fields, "pk")[:top] for part in self.parts]
        # NULLs sort last ascending and first descending, as PostgreSQL orders them.
        merged = heapq.merge(*runs, key=lambda row: tuple((v is None, v) for v in row[:-1]),
                             reverse=descending.pop())
        return [row[-1] for row in itertools.islice(merged, bottom, top)]
