"""Pagination whose count stops early, for text searches over large tables."""

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
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
