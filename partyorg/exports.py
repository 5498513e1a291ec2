"""The record of every export: each view that sends records out of the application as a
file calls record_export once, and the audit page shows who exported what and when."""

from partyorg.models import ExportRecord

# A query string is the user's; these bounds keep a crafted one from bloating the record.
MAX_FILTERS = 30
MAX_VALUE_CHARS = 200


def record_export(request, kind: str, *, rows: int | None = None, **details) -> ExportRecord:
    """Record that the request's user exported `kind` (an ExportKind): the URL's own
    arguments, its query parameters and `details` are kept as the filters, with `rows`,
    the number of records in the file (None for a report)."""
    filters = dict(request.resolver_match.kwargs) if request.resolver_match else {}
    for name in list(request.GET)[:MAX_FILTERS]:
        values = [value[:MAX_VALUE_CHARS] for value in request.GET.getlist(name)]
        filters[name[:MAX_VALUE_CHARS]] = values[0] if len(values) == 1 else values
    filters.update(details)
    record = ExportRecord(user=request.user, kind=kind, filters=filters, rows=rows)
    record._history_user = request.user
    record.save()
    return record
