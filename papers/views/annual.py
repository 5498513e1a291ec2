"""The annual report an office files: its own assessment saved as drafts with versions,
issued with the figures; after filing, the filed figures and the revision the data
entered since would bring, which the office may issue as a corrected report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from branches.queries import require_write
from papers import domain
from papers.annual import figures_to_revise, revision
from papers.forms import AssessmentForm, IssueForm
from partyorg.locking import Stale, check_version, display_name, show_conflict
from reports.views.common import check_year, scoped_node

VERSIONS_SHOWN = 10


def _page(request, node, year, *, assessment_form=None, issue_form=None):
    draft = domain.annual_report_draft(node, year, by=request.user, save=False)
    filed = list(domain.filed_reports(node, year).select_related("corrects"))
    latest = filed[0] if filed else None
    changes, problem, now = [], "", None
    try:
        report, now = figures_to_revise(node, year)
        if not report.balances:
            problem = report.imbalance_message()
    except ValidationError as error:
        problem = " ".join(error.messages)
    if latest is not None and now is not None:
        changes = revision(latest.snapshot["report"], now)
    context = {
        "node": node,
        "year": year,
        "draft": draft,
        "filed": filed,
        "latest": latest,
        "register_year": latest.year if latest else timezone.localdate().year,
        "changes": changes,
        "problem": problem,
        "versions": [
            (row.history_date, display_name(row.history_user))
            for row in (
                draft.history.select_related("history_user")[:VERSIONS_SHOWN] if draft.pk else []
            )
        ],
        "assessment_form": assessment_form
        or AssessmentForm(instance=draft, initial={"version": draft.version}),
        "issue_form": issue_form or IssueForm(node=node),
    }
    return render(request, "papers/annual_report.html", context)


@login_required
@require_http_methods(["GET"])
def annual_report(request, code, year):
    node = scoped_node(request, code)
    check_year(year)
    return _page(request, node, year)


def _draft_to_write(request, code, year):
    """The node and its draft report for the year, for a user who may write; not saved."""
    node = scoped_node(request, code)
    check_year(year)
    require_write(request.user)
    return node, domain.annual_report_draft(node, year, by=request.user, save=False)


@login_required
@require_POST
def save_assessment(request, code, year):
    node, draft = _draft_to_write(request, code, year)
    form = AssessmentForm(request.POST, instance=draft)
    if form.is_valid():
        try:
            with transaction.atomic():
                if draft.pk:
                    check_version(draft, form.cleaned_data["version"])
                draft._history_user = request.user
                form.save()
        except Stale as stale:
            show_conflict(form, stale)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("papers:annual_report", node.code, year)
    return _page(request, node, year, assessment_form=form)


@login_required
@require_POST
def issue_report(request, code, year):
    node, draft = _draft_to_write(request, code, year)
    form = IssueForm(request.POST, node=node)
    if form.is_valid():
        try:
            document = domain.issue_annual_report(
                draft,
                on=form.cleaned_data["issued_on"],
                signer=form.cleaned_data["position"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Report %(number)s was issued.") % {"number": document.number_text}
            )
            return redirect("papers:annual_report", node.code, year)
    return _page(request, node, year, issue_form=form)
