"""The report dashboard of a node and year: figures, charts, children, the files."""

import dataclasses

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from branches.models import OrganizationNode
from branches.queries import organizations_for, scope_root, subtree_figures
from partyorg.routers import reading_for_reports
from partyorg.work import shown_after_ending_stopped
from reports import charts, definitions, tables
from reports.generation import end_stopped_reports, generated_reports_for, is_large
from reports.service import AnnualReport, build_annual_report
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
    node = scoped_node(request, code)
    check_year(year)
    scope = scope_root(request.user)
    this_year = timezone.localdate().year
    # A province's report takes two seconds to build: its dashboard is kept like the
    # other figures of a large subtree (the files are always built afresh).
    kept = subtree_figures(node, request.user)
    context = {
        "node": node,
        "year": year,
        "years": range(this_year, this_year - YEARS_OFFERED, -1),
        "ancestors": [
            a
            for a in OrganizationNode.objects.get_ancestors(node)
            if scope is None or a.path.startswith(scope.path)
        ],
        "large": kept.get(report_in_background),
        "files": shown_after_ending_stopped(
            lambda: list(
                generated_reports_for(request.user).filter(node=node, year=year)[:FILES_SHOWN]
            ),
            end_stopped_reports,
        ),
        "kept": kept,
    }
    try:
        drawn = kept.get(drawn_report, year, translation.get_language())
    except ValidationError as error:
        context["problem"] = " ".join(error.messages)
        return render(request, "reports/dashboard.html", context)
    context.update(drawn=drawn, report=drawn.report)
    return render(request, "reports/dashboard.html", context)


def report_in_background(user, node) -> bool:
    return is_large(node)


@dataclasses.dataclass(frozen=True)
class DrawnReport:
    """A year's report and the dashboard's part of it (figures, charts, organizations)
    drawn as HTML in one language: a province's table of some 180 organizations takes
    longer to draw than the rest of the page, so it is kept with the figures it shows."""

    report: AnnualReport
    html: str


def drawn_report(user, node, year: int, language: str) -> DrawnReport:
    """The report of `year` up to today, drawn with its charts in `language` for `user`
    (who sees the organizations below that the links lead to)."""
    with reading_for_reports():
        report = build_annual_report(node, year)
    defined = definitions.figures(report)
    below = [row.node.id for row in report.children]
    context = {
        "node": node,
        "year": year,
        "report": report,
        # A child may have moved out of the user's part of the tree since (with a merger):
        # named, then, without a link to a report the user may not open.
        "children_shown": set(
            organizations_for(user).filter(pk__in=below).values_list("pk", flat=True)
        ),
        "charts": charts.charts(report),
        "defined": defined,
        "ratios": {d.key: ratio for d, ratio in defined if ratio},
        "branch_kinds": tables.branch_kinds(report),
    }
    with translation.override(language):
        html = render_to_string("reports/dashboard_report.html", context)
    return DrawnReport(report, html)
