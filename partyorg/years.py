"""The year a page is asked for in its address (?year=2024).

A year the page does not keep is refused (partyorg.refusals) with a message that says
which years it does, never answered with another year's page (the address would say 2028
and the page show this year's figures).
"""

from django.utils import timezone

from partyorg.refusals import AddressRefused


class YearRefused(AddressRefused):
    """A year the page does not keep; the message says which years it does."""


def parse_year(value, *, first: int, last: int, kept) -> int:
    """The year asked for (this year when none is); YearRefused for anything else than a
    year from `first` to `last`. `kept` says what the page keeps for them, with the
    placeholders %(first)d, %(last)d and %(value)s."""
    if value in (None, ""):
        return timezone.localdate().year
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = None
    if year is None or not first <= year <= last:
        raise YearRefused(kept % {"first": first, "last": last, "value": str(value)[:10]})
    return year


def offered_years(year: int, *, newest: int, count: int) -> list[int]:
    """The years a page's year picker offers, newest first: the `count` years up to
    `newest`, and the year shown when it is older."""
    return sorted({*range(newest, newest - count, -1), year}, reverse=True)
