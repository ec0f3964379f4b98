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
        self.limit = limit

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not hasattr(queryset, "query"):
            return min(len(queryset), self.limit + 1)
        # COUNT(*) over a LIMITed subquery of primary keys: no ordering, no annotations to compute.
        return queryset.order_by().values("pk")[: self.limit + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.limit

    @property
    def num_pages(self) -> int:
        """Beyond the limit, the pages of the first `limit` items: the count's extra item only says "more"."""
        if self.capped:
            return ceil(self.limit / self.per_page)
        return super().num_pages

    def get_page(self, number):
        """Page 1 is read first, one item longer than a page: when it is not full, that is the count, and the
        COUNT query is not run at all (most employees' lists); when it is, the COUNT follows only if the page
        asks for it. Other pages as Django's."""
        if number in (None, "", "1", 1):
            head = list(self.object_list[: self.per_page + 1])
            if len(head) <= self.per_page:
                self.__dict__["count"] = len(head)  # the cached_property's value
            return self._get_page(head[: self.per_page], 1, self)
        return super().get_page(number)
