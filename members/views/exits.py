"""Exemption, resumption, exits and readmission of one member."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from branches import competence
from branches.competence import Step
from branches.queries import branches_for
from members import lifecycle
from members.enums import ExitKind
from members.forms_lifecycle import DecisionForm, ExitForm, ReadmitForm
from members.queries import members_for

ACTIONS = {
    "exempt": (DecisionForm, lifecycle.exempt, gettext_lazy("Exempt from party work")),
    "resume": (DecisionForm, lifecycle.resume, gettext_lazy("Resume party work")),
    "exit": (ExitForm, lifecycle.record_exit, gettext_lazy("Record an exit")),
}
# The branch records a death; removal, expulsion and leaving are decided above.
EXIT_STEPS = {kind: Step.DISCIPLINE_EXIT for kind in ExitKind} | {ExitKind.DECEASED: Step.DEATH}


def _decide(request, number, action):
    member = get_object_or_404(members_for(request.user), member_number=number)
    steps = set(EXIT_STEPS.values()) if action == "exit" else {Step.EXEMPTION}
    allowed = competence.recordable(request.user, steps, member.branch)
    if not allowed:
        raise PermissionDenied
    form_class, change, title = ACTIONS[action]
    form = form_class(request.POST or None)
    if action == "exit":
        form.fields["kind"].choices = [
            (kind, label) for kind, label in ExitKind.choices if EXIT_STEPS[kind] in allowed
        ]
    if request.method == "POST" and form.is_valid():
        step = EXIT_STEPS[form.cleaned_data["kind"]] if action == "exit" else Step.EXEMPTION
        try:
            with competence.recording(competence.competence(request.user, step, member.branch)):
                change(member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect(member)
    return render(
        request,
        "members/exits/decision_form.html",
        {"form": form, "member": member, "title": title},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_exempt(request, number):
    return _decide(request, number, "exempt")


@login_required
@require_http_methods(["GET", "POST"])
def member_resume(request, number):
    return _decide(request, number, "resume")


@login_required
@require_http_methods(["GET", "POST"])
def member_exit(request, number):
    return _decide(request, number, "exit")


@login_required
@require_http_methods(["GET", "POST"])
def member_readmit(request, number):
    member = get_object_or_404(members_for(request.user), member_number=number)
    found = competence.require_competence(request.user, Step.READMISSION, member.branch)
    form = ReadmitForm(request.POST or None, branches=branches_for(request.user).order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            with competence.recording(found):
                lifecycle.readmit(member, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The member was readmitted."))
            return redirect(member)
    return render(
        request,
        "members/exits/decision_form.html",
        {"form": form, "member": member, "title": _("Readmit")},
    )
