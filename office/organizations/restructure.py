"""The restructuring pages, one operation at a time: move, merge, rename or change kind,
dissolve, split. Officers (and superusers) only, on nodes of their subtree; every
operation is dated and recorded with who performed it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from admission import restructuring
from admission.enums import OPEN_STAGES
from branches import competence, domain
from branches.competence import Competence, Step
from branches.enums import BRANCH_KINDS
from branches.forms import (
    DissolveNodeForm,
    MergeNodeForm,
    MoveNodeForm,
    RenameNodeForm,
    SplitNodeForm,
    SplitReceiversForm,
)
from branches.models import OrganizationNode
from branches.queries import organizations_for, require_restructure
from branches.restructuring import active_children, dissolve_node, rename_node
from members.enums import MembershipKind
from members.models import Member, Membership
from members.restructuring import Assignment


def _node_to_restructure(request, code) -> tuple[OrganizationNode, object, Competence]:
    """The active node of the user's subtree (404 otherwise), the user's scope, and the
    user's competence for restructuring it (403 below the deciding level)."""
    scope = organizations_for(request.user).open()
    node = get_object_or_404(scope, code=code)
    require_restructure(request.user)
    return node, scope, competence.require_competence(request.user, Step.NODE_FORM, node)


def _add_error(form, error: ValidationError) -> None:
    """The domain's message on its field when the form has it, else on the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _page(request, form, node, title, found: Competence, **extra):
    context = {"form": form, "node": node, "title": title, "competence": found, **extra}
    return render(request, "organizations/restructure_form.html", context)


def _siblings(scope, node):
    """The organizations of `scope` beside `node`, under the same organization above: those
    a split offers to tick. A province's officer splitting a branch is offered that
    commune's few, not the province's thousands."""
    parent = OrganizationNode.objects.get_parent(node)
    if parent is None:
        return scope.none()
    return scope.filter(path__startswith=parent.path, depth=node.depth).exclude(pk=node.pk)


@login_required
@require_http_methods(["GET", "POST"])
def node_move(request, code):
    node, scope, found = _node_to_restructure(request, code)
    parents = scope.exclude(path__startswith=node.path).exclude(kind__in=BRANCH_KINDS)
    form = MoveNodeForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        try:
            with competence.recording(found):
                domain.move_node(
                    node,
                    new_parent=form.cleaned_data["new_parent"],
                    on=form.cleaned_data["on"],
                    by=request.user,
                )
        except ValidationError as error:
            _add_error(form, error)
        else:
            return redirect(node)
    return _page(request, form, node, _("Move organization"), found)


@login_required
@require_http_methods(["GET", "POST"])
def node_merge(request, code):
    node, scope, found = _node_to_restructure(request, code)
    form = MergeNodeForm(request.POST or None, targets=scope.exclude(path__startswith=node.path))
    if request.method == "POST" and form.is_valid():
        try:
            with competence.recording(found):
                restructuring.merge_nodes(
                    [node],
                    into=form.cleaned_data["into"],
                    on=form.cleaned_data["on"],
                    document_number=form.cleaned_data["document_number"],
                    follow=form.cleaned_data["stays"],
                    by=request.user,
                )
        except ValidationError as error:
            _add_error(form, error)
        else:
            return redirect(form.cleaned_data["into"])
    return _page(request, form, node, _("Merge organization"), found)


@login_required
@require_http_methods(["GET", "POST"])
def node_rename(request, code):
    node, _scope, found = _node_to_restructure(request, code)
    form = RenameNodeForm(request.POST or None, node=node)
    if request.method == "POST" and form.is_valid():
        try:
            with competence.recording(found):
                rename_node(node, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_error(form, error)
        else:
            return redirect(node)
    return _page(request, form, node, _("Rename or change kind"), found)


@login_required
@require_http_methods(["GET", "POST"])
def node_dissolve(request, code):
    node, scope, found = _node_to_restructure(request, code)
    parent = OrganizationNode.objects.get_parent(node)
    form = DissolveNodeForm(
        request.POST or None,
        children=active_children(node),
        parents=scope.exclude(path__startswith=node.path).exclude(kind__in=BRANCH_KINDS),
        above=parent,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with competence.recording(found):
                dissolve_node(
                    node, on=form.cleaned_data["on"], targets=form.targets(), by=request.user
                )
        except ValidationError as error:
            _add_error(form, error)
        else:
            return redirect(parent if parent and _visible(request.user, parent) else node)
    return _page(request, form, node, _("Dissolve organization"), found)


def _visible(user, node) -> bool:
    return organizations_for(user).filter(pk=node.pk).exists()


@login_required
@require_http_methods(["GET", "POST"])
def node_split(request, code):
    """Two steps: the receiving organizations (a form sent by GET, so the second step's
    address holds them), then a receiver for each part of the node."""
    node, scope, found = _node_to_restructure(request, code)
    title = _("Split organization")
    children = active_children(node)
    beside = _siblings(scope, node)
    if not children:  # only branches receive members, areas and candidates
        beside = beside.filter(kind__in=BRANCH_KINDS)
    elsewhere = scope.exclude(path__startswith=node.path)
    step = SplitReceiversForm(request.GET or None, beside=beside, elsewhere=elsewhere)
    if not step.is_valid():
        return render(
            request,
            "organizations/split_receivers.html",
            {"form": step, "node": node, "title": title, "competence": found},
        )
    receivers = step.cleaned_data["all_receivers"]
    homes = Membership.objects.open().filter(branch=node, kind=MembershipKind.HOME)
    parts = {
        "children": children,
        "members": list(
            Member.objects.filter(pk__in=homes.values("member_id")).order_by("sort_key")
        ),
        "areas": list(node.residential_areas.all()),
        "candidates": list(node.candidates.filter(stage__in=OPEN_STAGES)),
    }
    form = SplitNodeForm(
        request.POST or None,
        parts=parts,
        parents=receivers.exclude(kind__in=BRANCH_KINDS),
        branches=receivers.filter(kind__in=BRANCH_KINDS),
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.assignments()
        candidates = chosen.pop("candidates")
        try:
            with competence.recording(found):
                restructuring.split_node(
                    node,
                    plan=Assignment(**chosen),
                    candidates=candidates,
                    on=form.cleaned_data["on"],
                    document_number=form.cleaned_data["document_number"],
                    by=request.user,
                )
        except ValidationError as error:
            _add_error(form, error)
        else:
            return redirect(OrganizationNode.objects.get_parent(node) or node)
    return _page(request, form, node, title, found, receivers=receivers)
