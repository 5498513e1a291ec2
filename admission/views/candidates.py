from itertools import chain

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from admission import domain
from admission.deadlines import next_deadline, passed_vote, schedule
from admission.enums import CANDIDATE_STAGES, DOCUMENT_DESCRIPTIONS, VoteKind
from admission.forms import CandidateFilterForm, CandidateForm
from admission.models import Candidate, DossierDocument
from admission.queries import (
    candidates_for,
    checklist_codes,
    missing_documents,
    missing_for_next_step,
    with_file,
)
from admission.rules import eligibility_problems, rule_on
from admission.views.common import add_domain_errors
from admission.views.steps import available_steps
from branches.queries import branches_for, require_write
from partyorg.locking import Stale, show_conflict
from partyorg.workdays import WorkingCalendar

PAGE_SIZE = 50


@login_required
def candidate_list(request):
    filters = CandidateFilterForm(
        request.GET or None, branches=branches_for(request.user).order_by("name")
    )
    candidates = with_file(candidates_for(request.user))
    if filters.is_bound:
        candidates = filters.filter(candidates) if filters.is_valid() else candidates.none()
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    cal = WorkingCalendar()
    today = timezone.localdate()
    for candidate in page:
        candidate.deadline = next_deadline(candidate, cal)
        candidate.deadline_state = candidate.deadline.state(today) if candidate.deadline else ""
        candidate.missing = missing_documents(candidate)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "admission/candidate_list.html",
        {"filters": filters, "page": page, "query": query.urlencode()},
    )


@login_required
def candidate_detail(request, pk):
    candidate = get_object_or_404(
        with_file(candidates_for(request.user)).select_related("member"), pk=pk
    )
    today = timezone.localdate()
    held = {document.code: document for document in candidate.documents.all()}
    missing = set(missing_for_next_step(candidate))
    checklist = [
        {
            "code": code,
            "description": DOCUMENT_DESCRIPTIONS[code],
            "document": held.get(code),
            "missing": code in missing,
        }
        for code in checklist_codes(candidate)
    ]
    steps = available_steps(candidate, request.user)
    cal = WorkingCalendar()
    deadlines = [(d, d.state(today)) for d in schedule(candidate, cal)]
    document_ids = [document.pk for document in held.values()]
    changes = sorted(
        chain(
            candidate.history.select_related("history_user").order_by("-history_date")[:30],
            DossierDocument.history.filter(id__in=document_ids)
            .select_related("history_user")
            .order_by("-history_date")[:30],
        ),
        key=lambda change: change.history_date,
        reverse=True,
    )
    context = {
        "candidate": candidate,
        "checklist": checklist,
        "deadlines": deadlines,
        "introducers": candidate.introducers.select_related("member").order_by("-assigned_on"),
        "votes": candidate.votes.all(),
        "resolutions": candidate.grassroots_resolutions.select_related("node"),
        "decisions": sorted(candidate.decisions.all(), key=lambda d: d.date),
        "timeline": _timeline(candidate),
        "changes": changes,
        "steps": steps,
        "can_check": any(name == "document" for name, _step in steps),
        "resolution_vote": passed_vote(candidate, VoteKind.ADMISSION),
        "problems": (
            eligibility_problems(candidate, today, at_vote=True).values()
            if candidate.stage in CANDIDATE_STAGES
            else []
        ),
        "rule": rule_on(today),
    }
    return render(request, "admission/candidate_detail.html", context)


def _timeline(candidate: Candidate) -> list[tuple]:
    """(date, what, detail) of every dated step of the file, oldest first."""
    rows = [(candidate.identified_on, _("Identified"), candidate.get_source_display())]
    if candidate.course_date:
        rows.append((candidate.course_date, _("Awareness course"), candidate.course_certificate))
    for vote in candidate.votes.all():
        rows.append(
            (
                vote.date,
                _("Branch vote: %(kind)s") % {"kind": vote.get_kind_display()},
                _("%(agreeing)s of %(members)s official members agreed — %(outcome)s")
                % {
                    "agreeing": vote.agreeing,
                    "members": vote.base,
                    "outcome": _("passed") if vote.passed else _("not passed"),
                },
            )
        )
    for decision in candidate.decisions.all():
        rows.append((decision.date, _("Decision"), decision.number))
        if decision.received_on:
            rows.append(
                (decision.received_on, _("Decision received by the branch"), decision.number)
            )
    if candidate.verified_on:
        rows.append((candidate.verified_on, _("Background verified"), ""))
    if candidate.decision_extended_on:
        rows.append(
            (
                candidate.decision_extended_on,
                _("Decision deadline extended"),
                candidate.decision_extension_reason,
            )
        )
    if candidate.ceremony_date:
        rows.append((candidate.ceremony_date, _("Admission ceremony"), ""))
    if candidate.official_date:
        rows.append((candidate.official_date, _("Official member"), ""))
    if candidate.removal_proposed_on:
        rows.append(
            (candidate.removal_proposed_on, _("Removal proposed"), candidate.removal_reason)
        )
    return sorted(rows, key=lambda row: row[0])


@login_required
@require_http_methods(["GET", "POST"])
def candidate_create(request):
    require_write(request.user)
    branches = branches_for(request.user).order_by("name")
    initial = {"identified_on": timezone.localdate()}
    if request.GET.get("branch"):
        initial["branch"] = branches.filter(code=request.GET["branch"]).first()
    form = CandidateForm(request.POST or None, branches=branches, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = domain.identify_candidate(form.instance, by=request.user)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The candidate's file was opened."))
            return redirect(candidate)
    return render(request, "admission/candidate_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def candidate_edit(request, pk):
    candidate = get_object_or_404(candidates_for(request.user), pk=pk)
    require_write(request.user)
    form = CandidateForm(
        request.POST or None,
        instance=candidate,
        branches=branches_for(request.user).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            domain.update_candidate(
                form.instance, version=form.cleaned_data["version"], by=request.user
            )
        except Stale as stale:
            show_conflict(form, stale)
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("The candidate's file was saved."))
            return redirect(candidate)
    return render(request, "admission/candidate_form.html", {"form": form, "candidate": candidate})
