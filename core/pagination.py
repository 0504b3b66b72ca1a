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
