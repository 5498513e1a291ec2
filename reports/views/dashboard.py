"""The report dashboard of a node and year: figures, charts, children, the files."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from branches.models import OrganizationNode
from branches.queries import organizations_for, scope_root
from partyorg.routers import reading_for_reports
from partyorg.work import shown_after_ending_stopped
from reports import charts, definitions, tables
from reports.generation import end_stopped_reports, generated_reports_for, is_large
from reports.service import build_annual_report
from reports.views.common import check_year, scoped_node

FILES_SHOWN = 10
YEARS_OFFERED = 10


@login_required
@require_GET
def index(request):
    """The dashboard of the user's own node (the first root for superusers), this year."""
    root = scope_root(request.user)
    if root is None:
        root = organizations_for(request.user).filter(depth=1).order_by("path").first()
    if root is None:
        return render(request, "reports/no_scope.html", status=404)
    return redirect("reports:dashboard", root.code, timezone.localdate().year)


@login_required
@require_GET
def dashboard(request, code, year):
    """The year's report up to today, built in each request for any subtree: a
    province's takes about a second and a half (docs/performance.md)."""
    node = scoped_node(request, code)
    check_year(year)
    scope = scope_root(request.user)
    this_year = timezone.localdate().year
    context = {
        "node": node,
        "year": year,
        "years": range(this_year, this_year - YEARS_OFFERED, -1),
        "ancestors": [
            a
            for a in OrganizationNode.objects.get_ancestors(node)
            if scope is None or a.path.startswith(scope.path)
        ],
        "large": is_large(node),
        "files": shown_after_ending_stopped(
            lambda: list(
                generated_reports_for(request.user).filter(node=node, year=year)[:FILES_SHOWN]
            ),
            end_stopped_reports,
        ),
    }
    try:
        with reading_for_reports():
            report = build_annual_report(node, year)
    except ValidationError as error:
        context["problem"] = " ".join(error.messages)
        return render(request, "reports/dashboard.html", context)
    defined = definitions.figures(report)
    below = [row.node.id for row in report.children]
    context.update(
        report=report,
        # A child may have moved out of the user's part of the tree since (with a merger):
        # named, then, without a link to a report the user may not open.
        children_shown=set(
            organizations_for(request.user).filter(pk__in=below).values_list("pk", flat=True)
        ),
        charts=charts.charts(report),
        defined=defined,
        ratios={d.key: ratio for d, ratio in defined if ratio},
        branch_kinds=tables.branch_kinds(report),
    )
    return render(request, "reports/dashboard.html", context)
