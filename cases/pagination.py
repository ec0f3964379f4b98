"""Pages of a list too long to count on every request."""

from math import ceil

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """A Paginator that counts exactly up to `limit` and no further.

    An exact COUNT of what a user may see reads every visible row: for an inspector or a handler of a busy kind
    at a million cases that is most of the table on every page view (benchmarks/: 615 ms at 1,000,000 cases).
    Counting stops at `limit` + 1 rows instead, so a page costs what `limit` costs, whatever the table holds;
    beyond it `capped` is True and the page says "more than `limit`" — as large sites do ("1,000+") — and
    offers the filters to narrow the list. Below the limit the count is exact.
    """

    def __init__(self, object_list, per_page, *, limit: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        # At least a page: page 1 is shown whole, so a smaller limit would say "more than 2" above 25 rows.
        self.limit = max(limit, per_page)

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not hasattr(queryset, "query"):
            return min(len(queryset), self.limit + 1)
        # COUNT(*) over the first limit + 1 primary keys in the list's own order. In the inbox's order
        # PostgreSQL walks the index of that order (case_open_inbox) and stops after limit + 1 visible cases;
        # unordered, it may scan the table in physical order instead, reading the old closed cases before the
        # open ones (benchmarks/: 209,460 rows read for an inspector at 300,000 cases).
        return queryset.values("pk")[: self.limit + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.limit

    @property
    def num_pages(self) -> int:
        """Beyond the limit, the pages of the first `limit` items: the count's extra item only says "more"."""
        if self.capped:
            return ceil(self.limit / self.per_page)
        return super().num_pages

    def page(self, number):
        """Django's page, except that beyond the limit the pages hold the first `limit` items and no more."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if self.capped:
            top = min(top, self.limit)
        elif top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.object_list[bottom:top], number, self)

    def get_page(self, number):
        """Page 1 is read first, one item longer than a page: when it is not full, that is the count, and the
        COUNT query is not run at all (most employees' lists); when it is, the COUNT follows only if the page
        asks for it. Other pages (and a number that is not one) as Django's get_page."""
        if number in (None, "", "1", 1):
            head = list(self.object_list[: self.per_page + 1])
            if len(head) <= self.per_page:
                self.__dict__["count"] = len(head)  # the cached_property's value
            return self._get_page(head[: self.per_page], 1, self)
        return super().get_page(number)
