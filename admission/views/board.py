from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from admission import domain
from admission.forms import TargetsForm, parse_year, year_choices
from admission.queries import (
    admitted_against_target,
    candidates_for,
    incomplete_files,
    late_files,
    missing_documents,
    stage_counts,
    with_checklist,
)
from admission.views.common import add_domain_errors
from branches import competence
from branches.queries import organizations_for, require_write
from branchwork.views.overview import node_in_scope

# A province has thousands of late files: each list of the board shows this many at a time.
COLUMN_SIZE = 25


@login_required
def pipeline(request):
    """Candidates of a node's subtree by stage; the files overdue, due soon or missing
    documents, each list counted in full and shown a page at a time; admissions against
    the year's target. Fresh for any subtree: the late files are read from their kept
    deadlines (admission.kept_deadlines), and a province's board takes about 150 ms."""
    node = node_in_scope(request)
    year = parse_year(request.GET.get("year"))
    candidates = candidates_for(request.user).in_subtree(node)
    today = timezone.localdate()
    late = late_files(candidates, today)
    columns = {
        "overdue": _page(request, "overdue", late.overdue),
        "soon": _page(request, "soon", late.due_soon),
        "missing": _page(
            request, "missing", list(incomplete_files(candidates).values_list("pk", flat=True))
        ),
    }
    late_shown = [pk for pk, _ in [*columns["overdue"], *columns["soon"]]]
    # Only the files missing documents are read with their documents: a deadline needs
    # none, and the 75 files a commune's board shows held 650 documents and introducers
    # (20 ms to read with them, 4 without).
    files = candidates.in_bulk(late_shown) | with_checklist(candidates).in_bulk(
        list(columns["missing"])
    )
    targets = admitted_against_target(node, year)
    context = {
        "node": node,
        "year": year,
        "years": year_choices(),
        "ancestors": organizations_for(request.user).filter(
            path__in=[node.path[:i] for i in range(node.steplen, len(node.path), node.steplen)]
        ),
        "children": [row.node for row in targets[1:]],
        "stages": stage_counts(candidates),
        "overdue": [(files[pk], due) for pk, due in columns["overdue"]],
        "due_soon": [(files[pk], due) for pk, due in columns["soon"]],
        "incomplete": [(files[pk], missing_documents(files[pk])) for pk in columns["missing"]],
        "columns": columns,
        "column_queries": {name: _query_without(request, f"{name}_page") for name in columns},
        "targets": targets,
        "delegates": competence.LEVEL_OF_KIND[node.kind] >= competence.Level.SUPERIOR,
        "today": today,
    }
    return render(request, "admission/pipeline.html", context)


def _page(request, name: str, rows: list):
    return Paginator(rows, COLUMN_SIZE).get_page(request.GET.get(f"{name}_page"))


def _query_without(request, name: str) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


@login_required
@require_http_methods(["GET", "POST"])
def targets(request):
    """Set the year's admission targets of a node and its children."""
    node = node_in_scope(request)
    require_write(request.user)
    year = parse_year(request.GET.get("year"))
    rows = admitted_against_target(node, year)
    form = TargetsForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for row in rows:
                    value = form.cleaned_data[row.node.code]
                    if value is not None and value != row.target:
                        domain.set_target(row.node, year=year, target=value, by=request.user)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The admission targets were saved."))
            return redirect(f"{request.path}?node={node.code}&year={year}")
    context = {"form": form, "node": node, "year": year, "years": year_choices()}
    return render(request, "admission/targets_form.html", context)
