"""Pages of a list too long to count on every request."""

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
