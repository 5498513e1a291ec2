"""Annual evaluations: a branch's whole year on one screen, and the organizations below a
committee on another; the year's distribution above them."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from branches import competence
from branches.competence import Step
from branches.queries import organizations_for, subtree_as_of
from branchwork import evaluations
from branchwork.enums import NotClassifiedReason
from branchwork.forms import EvaluationRowForm, EvaluationSheetForm
from branchwork.models import Evaluation, OrganizationEvaluation
from branchwork.views.overview import node_in_scope
from partyorg.locking import Stale, show_sheet_conflicts
from partyorg.rules import RuleKind, versions

FIRST_YEAR = 2000
# The first year an evaluation rule covers (132-QĐ/TW, 2018): the sheets offered go back to it.
FIRST_RULE_YEAR = versions(RuleKind.EVALUATION)[0].in_force_from.year


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404


def _shown_score(score: Decimal | None) -> Decimal | None:
    """A whole score without its decimal (74, not 74.0)."""
    if score is None or score != score.to_integral_value():
        return score
    return score.quantize(Decimal(1))


def _sheet(request, *, node, step, year, targets, rule, required, save, template, extra_context):
    """Shared GET/POST handling of an entry sheet: one row form per member or organization.
    Saving is for the level that decides `step` (branches.competence) and those above it."""
    data = request.POST if request.method == "POST" else None
    if data is not None:
        found = competence.require_competence(request.user, step, node)
    sheet_form = EvaluationSheetForm(data, prefix="sheet")
    lines = []
    for target in targets:
        record = target.year_evaluations[0] if target.year_evaluations else None
        initial = (
            {name: getattr(record, name) for name in evaluations.STEP_FIELDS}
            | {"score": _shown_score(record.score), "version": record.version}
            if record
            else {}
        )
        if record and not sheet_form.is_bound:
            sheet_form.initial["decision_number"] = record.decision_number
        form = EvaluationRowForm(data, prefix=f"r{target.pk}", initial=initial)
        reason = required(target)
        lines.append(
            {
                "target": target,
                "form": form,
                "required": reason,
                "required_label": NotClassifiedReason(reason).label if reason else "",
            }
        )
    problems = []
    if data is not None:
        valid = sheet_form.is_valid() & all([line["form"].is_valid() for line in lines])
        if valid:
            rows = [
                evaluations.Row(
                    target=line["target"],
                    required_exclusion=line["required"],
                    **line["form"].cleaned_data,
                )
                for line in lines
            ]
            try:
                with competence.recording(found):
                    count = save(
                        rows=rows,
                        decision_number=sheet_form.cleaned_data["decision_number"],
                        by=request.user,
                    )
            except Stale as stale:
                forms = {line["target"].pk: line["form"] for line in lines}
                problems = [show_sheet_conflicts(forms, stale)]
            except ValidationError as error:
                problems = error.messages
            else:
                messages.success(request, _("%(count)s results were saved.") % {"count": count})
                return redirect(request.path)
        else:
            problems = [_("Correct the marked rows; nothing was saved.")]
    context = {
        "node": node,
        "year": year,
        "rule": rule,
        "lines": lines,
        "sheet_form": sheet_form,
        "problems": problems,
        "years": range(timezone.localdate().year, FIRST_RULE_YEAR - 1, -1),
        **extra_context,
    }
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_members(request, code, year):
    """A branch's evaluations of all its members for a year."""
    _check_year(year)
    branch = node_in_scope(request, code)
    if not branch.is_branch:
        raise Http404
    try:
        rule = evaluations.rule_for_year(year)
    except ValidationError:
        raise Http404 from None
    members = list(evaluations.members_to_evaluate(branch, year))
    return _sheet(
        request,
        node=branch,
        step=Step.MEMBER_EVALUATION,
        year=year,
        targets=members,
        rule=rule,
        required=lambda member: evaluations.required_exclusion(rule, member, year),
        save=lambda **kw: evaluations.save_member_year(branch=branch, year=year, **kw),
        template="branchwork/evaluations/member_sheet.html",
        extra_context={
            "summary": evaluations.distribution(
                Evaluation.objects.filter(year=year, branch=branch)
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_organizations(request, code, year):
    """A committee's evaluations of the organizations directly below it for a year, and
    the distribution of member results over its subtree, both as the tree stood at the
    end of that year."""
    _check_year(year)
    node = node_in_scope(request, code)
    if node.is_branch:
        raise Http404
    try:
        rule = evaluations.rule_for_year(year)
    except ValidationError:
        raise Http404 from None
    # Those below it that year and still in the user's part of the tree: one that has
    # moved on is another committee's now (its evaluation is for an officer above both).
    in_scope = organizations_for(request.user)
    organizations = list(evaluations.organizations_to_evaluate(node, year).filter(pk__in=in_scope))
    subtree_then = subtree_as_of(node.code, evaluations.year_end(year))
    return _sheet(
        request,
        node=node,
        step=Step.ORGANIZATION_EVALUATION,
        year=year,
        targets=organizations,
        rule=rule,
        required=lambda organization: "",
        save=lambda **kw: evaluations.save_organization_year(node=node, year=year, **kw),
        template="branchwork/evaluations/organization_sheet.html",
        extra_context={
            "summary": evaluations.distribution(
                Evaluation.objects.filter(year=year, branch_id__in=subtree_then)
            ),
            "org_summary": evaluations.distribution(
                OrganizationEvaluation.objects.filter(year=year, node_id__in=subtree_then)
            ),
        },
    )
