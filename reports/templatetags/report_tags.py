from django import template

from reports.numbers import share
from reports.tables import cell_text

register = template.Library()


@register.filter
def cell(value) -> str:
    """A table cell in Vietnamese number format (documents are Vietnamese)."""
    return cell_text(value)


@register.filter
def percent_of(part, whole) -> float | None:
    """`part` as a percentage of `whole` (format it with floatformat)."""
    return share(part, whole)


@register.filter
def at(items, index: int):
    """items[index]: a table's column label for a cell (the narrow layout's data-label)."""
    return items[index]
