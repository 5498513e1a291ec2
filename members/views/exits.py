"""Exemption, resumption, exits and readmission of one member."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
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
from partyorg.posting import saved

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

    def save(data):
        step = EXIT_STEPS[data["kind"]] if action == "exit" else Step.EXEMPTION
        with competence.recording(competence.competence(request.user, step, member.branch)):
            change(member, by=request.user, **data)
        return member

    return saved(request, form, save, _("The decision was recorded.")) or render(
        request,
        "members/exits/decision_form.html",
        {"form": form, "member": member, "title": title},
    )


def _decision_view(action):
    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request, number):
        return _decide(request, number, action)

    return view


member_exempt = _decision_view("exempt")
member_resume = _decision_view("resume")
member_exit = _decision_view("exit")


@login_required
@require_http_methods(["GET", "POST"])
def member_readmit(request, number):
    member = get_object_or_404(members_for(request.user), member_number=number)
    found = competence.require_competence(request.user, Step.READMISSION, member.branch)
    form = ReadmitForm(request.POST or None, branches=branches_for(request.user).order_by("name"))

    def save(data):
        with competence.recording(found):
            lifecycle.readmit(member, by=request.user, **data)
        return member

    return saved(request, form, save, _("The member was readmitted.")) or render(
        request,
        "members/exits/decision_form.html",
        {"form": form, "member": member, "title": _("Readmit")},
    )
