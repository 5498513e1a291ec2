"""The audit page: who changed which record and when, within the user's subtree. Read
only for everyone: history is written by the records' own changes, never edited."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from branches.queries import start_node
from partyorg.audit.forms import AuditFilterForm
from partyorg.audit.queries import changes_for, describe

PAGE_SIZE = 50


@login_required
@require_GET
def index(request):
    """Recent changes to members, memberships, transfers, evaluations, candidates, dossier
    documents, minutes and attendance of the user's subtree, filtered and paginated."""
    node = start_node(request.user)
    if node is None:
        raise Http404
    filters = AuditFilterForm(request.GET or None)
    options = {}
    if filters.is_bound:
        if not filters.is_valid():
            options = None
        else:
            options = {
                "kind": filters.cleaned_data["kind"],
                "username": filters.cleaned_data["user"].strip(),
                "since": filters.cleaned_data["since"],
                "until": filters.cleaned_data["until"],
            }
    root = None if request.user.is_superuser else node
    changes = changes_for(root, **options) if options is not None else []
    page = Paginator(changes, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = describe(list(page))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "node": node,
        "filters": filters,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
    }
    return render(request, "audit/index.html", context)
