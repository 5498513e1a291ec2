"""The audit page: who changed which record and when, within the user's subtree. Read
only for everyone: history is written by the records' own changes, never edited."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from branches.queries import organizations_for, start_node
from office.audit.forms import AuditFilterForm
from office.audit.queries import Position, Trail, describe

PAGE_SIZE = 50
# A province's trail holds millions of rows: it is counted exactly up to this many.
COUNTED = 10_000


@login_required
@require_GET
def index(request):
    """Recent changes to every record kept with a history (office.audit.kinds: people,
    events, minutes, the tree and its moves, exports, deleted uploads) in the user's
    subtree, filtered, a page at a time from the newest (older and newer pages continue
    from a row's position)."""
    node = start_node(request.user)
    if node is None:
        raise Http404
    filters = AuditFilterForm(request.GET or None, organizations=organizations_for(request.user))
    root = None if request.user.is_superuser else node
    rows, total, older, newer = [], 0, None, None
    if not filters.is_bound or filters.is_valid():
        data = filters.cleaned_data if filters.is_bound else {}
        options = {
            "kind": data.get("kind", ""),
            "user": data.get("user"),
            "since": data.get("since"),
            "until": data.get("until"),
        }
        trail = Trail(data.get("organization") or root, **options)
        rows, older, newer = _page(request, trail)
        rows = describe(rows, request.user)
        total = trail.count(up_to=COUNTED)
    query = request.GET.copy()
    for name in ("before", "after"):
        query.pop(name, None)
    context = {
        "node": node,
        "filters": filters,
        "rows": rows,
        "total": total,
        "counted": COUNTED,
        "older": older,
        "newer": newer,
        "query": query.urlencode(),
    }
    return render(request, "audit/index.html", context)


def _page(request, trail: Trail) -> tuple[list[dict], Position | None, Position | None]:
    """The rows of the page asked for, and the positions the older and newer pages
    continue from (None where there is none)."""
    after = Position.parse(request.GET.get("after"))
    if after is not None:
        found = trail.page(after=after, limit=PAGE_SIZE + 1)
        if len(found) > PAGE_SIZE:
            rows = found[1:]
            return rows, Position.of(rows[-1]), Position.of(rows[0])
    before = None if after else Position.parse(request.GET.get("before"))
    found = trail.page(before=before, limit=PAGE_SIZE + 1)
    rows = found[:PAGE_SIZE]
    older = Position.of(rows[-1]) if len(found) > PAGE_SIZE else None
    newer = Position.of(rows[0]) if before and rows else None
    return rows, older, newer
