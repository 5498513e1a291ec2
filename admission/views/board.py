from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from admission import domain
from admission.forms import TargetsForm, parse_year, year_choices
from admission.queries import admitted_against_target, attention, candidates_for, stage_counts
from admission.views.common import add_domain_errors, node_in_scope
from branches.queries import organizations_for, require_write


@login_required
def pipeline(request):
    """Candidates of a node's subtree by stage, what is overdue, due soon or missing, and
    admissions against the year's target."""
    node = node_in_scope(request)
    year = parse_year(request.GET.get("year"))
    candidates = candidates_for(request.user).in_subtree(node)
    today = timezone.localdate()
    context = {
        "node": node,
        "year": year,
        "years": year_choices(),
        "ancestors": organizations_for(request.user).filter(
            path__in=[node.path[:i] for i in range(node.steplen, len(node.path), node.steplen)]
        ),
        "stages": stage_counts(candidates),
        "attention": attention(candidates, today),
        "targets": admitted_against_target(node, year),
        "today": today,
    }
    return render(request, "admission/pipeline.html", context)


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
