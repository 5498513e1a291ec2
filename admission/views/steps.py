"""One view for every step of a candidate file: a form, then the domain function."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from admission import domain, forms
from admission.enums import CANDIDATE_STAGES, Stage
from admission.queries import candidates_for
from admission.views.common import add_domain_errors
from branches import competence


@dataclass(frozen=True)
class Step:
    decided: str  # the step of branches.competence: who decides it
    title: Promise
    form: type[forms.StepForm]
    action: Callable
    stages: tuple[str, ...]
    done: Promise


STEPS = {
    "course": Step(
        competence.Step.CANDIDATE_FILE,
        _("Awareness course"),
        forms.CourseForm,
        domain.record_course,
        tuple(CANDIDATE_STAGES),
        _("The course was recorded."),
    ),
    "introducers": Step(
        competence.Step.CANDIDATE_FILE,
        _("Assign introducers"),
        forms.IntroducersForm,
        domain.assign_introducers,
        (Stage.TRAINED, Stage.INTRODUCED, Stage.VERIFIED),
        _("The introducers were assigned."),
    ),
    "document": Step(
        competence.Step.CANDIDATE_FILE,
        _("Check a dossier document"),
        forms.DocumentForm,
        domain.check_document,
        (*CANDIDATE_STAGES[1:], Stage.PROBATION),
        _("The document was checked."),
    ),
    "verification": Step(
        competence.Step.CANDIDATE_FILE,
        _("Background verification"),
        forms.VerificationForm,
        domain.record_verification,
        (Stage.INTRODUCED, Stage.VERIFIED),
        _("The verification was recorded."),
    ),
    "branch-vote": Step(
        competence.Step.ADMISSION_VOTE,
        _("Branch vote on admission"),
        forms.VoteForm,
        domain.record_branch_vote,
        (Stage.VERIFIED,),
        _("The branch vote was recorded."),
    ),
    "extension": Step(
        competence.Step.ADMISSION_DECISION,
        _("Extend the decision deadline"),
        forms.ExtensionForm,
        domain.extend_decision_deadline,
        (Stage.BRANCH_RESOLVED, Stage.GRASSROOTS_RESOLVED),
        _("The deadline was extended by 30 working days."),
    ),
    "grassroots": Step(
        competence.Step.ADMISSION_RESOLUTION,
        _("Grassroots committee resolution"),
        forms.GrassrootsForm,
        domain.record_grassroots_resolution,
        (Stage.BRANCH_RESOLVED,),
        _("The grassroots resolution was recorded."),
    ),
    "decision": Step(
        competence.Step.ADMISSION_DECISION,
        _("Admission decision"),
        forms.DecisionForm,
        domain.record_decision,
        (Stage.GRASSROOTS_RESOLVED,),
        _("The admission decision was recorded."),
    ),
    "ceremony": Step(
        competence.Step.CEREMONY,
        _("Admission ceremony"),
        forms.CeremonyForm,
        domain.hold_ceremony,
        (Stage.DECIDED,),
        _("The ceremony was recorded; the probationary member's record was created."),
    ),
    "conversion-vote": Step(
        competence.Step.CONVERSION_VOTE,
        _("Branch vote on conversion"),
        forms.VoteForm,
        domain.record_conversion_vote,
        (Stage.PROBATION,),
        _("The conversion vote was recorded."),
    ),
    "conversion": Step(
        competence.Step.CONVERSION_DECISION,
        _("Conversion decision"),
        forms.ConversionForm,
        domain.convert_member,
        (Stage.CONVERSION_VOTED,),
        _("The member is official from the end of probation."),
    ),
    "removal": Step(
        competence.Step.PROBATION_REMOVAL_PROPOSAL,
        _("Propose removal"),
        forms.RemovalForm,
        domain.propose_removal,
        (Stage.PROBATION,),
        _("The removal proposal was recorded."),
    ),
}


# The step that moves a file on from each stage, offered first.
NEXT_STEP = {
    Stage.IDENTIFIED: "course",
    Stage.TRAINED: "introducers",
    Stage.INTRODUCED: "document",
    Stage.VERIFIED: "branch-vote",
    Stage.BRANCH_RESOLVED: "grassroots",
    Stage.GRASSROOTS_RESOLVED: "decision",
    Stage.DECIDED: "ceremony",
    Stage.PROBATION: "conversion-vote",
    Stage.CONVERSION_VOTED: "conversion",
}


def available_steps(candidate, user) -> list[tuple[str, Step]]:
    """The steps possible at the file's stage that the user's level records, the one that
    moves the file on first."""
    possible = [(name, step) for name, step in STEPS.items() if candidate.stage in step.stages]
    allowed = competence.recordable(
        user, {step.decided for _name, step in possible}, candidate.branch
    )
    steps = [(name, step) for name, step in possible if step.decided in allowed]
    first = NEXT_STEP.get(candidate.stage)
    return sorted(steps, key=lambda item: item[0] != first)


@login_required
@require_http_methods(["GET", "POST"])
def candidate_step(request, pk, step):
    if step not in STEPS:
        raise Http404
    candidate = get_object_or_404(candidates_for(request.user), pk=pk)
    spec = STEPS[step]
    found = competence.require_competence(request.user, spec.decided, candidate.branch)
    initial = {"code": request.GET["code"]} if "code" in request.GET else None
    form = spec.form(request.POST or None, candidate=candidate, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with competence.recording(found):
                spec.action(candidate, by=request.user, **form.arguments())
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, spec.done)
            return redirect(candidate)
    context = {
        "form": form,
        "candidate": candidate,
        "step": spec,
        "step_name": step,
        "competence": found,
    }
    return render(request, "admission/step_form.html", context)
