"""The organization pages: the tree and an organization with its figures (members,
committee, meetings), and the forms that create and edit organizations (restructuring is
office.organizations.restructure's)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Count
from django.db.models.functions import Length
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from branches import competence, domain
from branches.competence import Step
from branches.forms import NodeForm, TreeDayForm
from branches.models import NodePlacement, OrganizationNode
from branches.names import kind_on, name_on
from branches.queries import (
    is_officer,
    organizations_for,
    require_write,
    scope_root,
    start_node,
)
from branchwork.meeting_queries import last_regular_meeting, node_year
from members.enums import PARTY_POSITIONS
from members.stats import rolled_up_counts, rolled_up_counts_on

TREE_DEPTH_SHOWN = 3
TREE_ROWS_SHOWN = 200
# A dissolved organization's page links to the reports of its last years, this many.
YEARS_OF_A_DISSOLVED_NODE = 5


def _root_for(user) -> OrganizationNode:
    root = start_node(user)
    if root is None:
        raise Http404
    return root


@login_required
def tree(request):
    """The user's subtree as it stands today, or as it stood on the day `?on=` names
    (its nodes, names and kinds of that day), down to three levels (fewer when that would
    list more than TREE_ROWS_SHOWN organizations), with member and branch counts."""
    root = _root_for(request.user)
    form = TreeDayForm(request.GET or None)
    day = form.cleaned_data["on"] if form.is_valid() else None
    context = {"root": root, "form": form, "day": day}
    if day is None or day == timezone.localdate():
        context |= _tree_today(request.user, root)
    else:
        context |= _tree_on(request.user, root, day)
    return render(request, "organizations/tree.html", context)


def _depth_shown(per_depth: dict[int, int], top: int) -> int:
    """The first depth left out: a province lists its districts rather than its thousand
    grassroots organizations, so levels are left out from the bottom while the page would
    list too many rows."""
    below = top + TREE_DEPTH_SHOWN
    while below > top + 2:
        if sum(n for depth, n in per_depth.items() if depth < below) <= TREE_ROWS_SHOWN:
            break
        below -= 1
    return below


def _tree_today(user, root) -> dict:
    scope = organizations_for(user).open().filter(path__startswith=root.path)
    per_depth = dict(
        scope.filter(depth__lt=root.depth + TREE_DEPTH_SHOWN)
        .order_by()
        .values_list("depth")
        .annotate(n=Count("id"))
    )
    below = _depth_shown(per_depth, root.depth)
    nodes = list(scope.filter(depth__lt=below))
    counts = rolled_up_counts(root, nodes)
    for node in nodes:
        node.counts = counts[node.pk]
        node.indent = node.depth - root.depth
    # A district ended by the reform, read by its former officer: its last day's tree.
    last_day = None if root.is_active else root.dissolved_on - datetime.timedelta(days=1)
    return {"nodes": nodes, "last_day": last_day}


def _tree_on(user, root, day) -> dict:
    """The subtree of `root` as it stood on `day` (the nodes of the user's scope among
    it), with the names, kinds and figures of that day."""
    then = root.placements.on(day).values_list("path", flat=True).first()
    if then is None:
        return {"nodes": [], "absent": True}
    step = OrganizationNode.steplen
    top = len(then) // step
    placements = (
        NodePlacement.objects.on(day)
        .filter(path__startswith=then, node__in=organizations_for(user))
        .annotate(depth=Length("path") / step)
    )
    per_depth = dict(
        placements.filter(depth__lt=top + TREE_DEPTH_SHOWN)
        .order_by()
        .values_list("depth")
        .annotate(n=Count("id"))
    )
    below = _depth_shown(per_depth, top)
    rows = (
        placements.filter(depth__lt=below)
        .select_related("node")
        .annotate(name_then=name_on(day, "node"), kind_then=kind_on(day, "node"))
        .order_by("path")
    )
    nodes = []
    for row in rows:
        node = row.node
        node.name, node.kind = row.name_then, row.kind_then
        node.indent = row.depth - top
        node.path_then = row.path
        nodes.append(node)
    counts = rolled_up_counts_on(day, then, {n.path_then: n.pk for n in nodes})
    for node in nodes:
        node.counts = counts[node.pk]
    return {"nodes": nodes}


@login_required
def node_detail(request, code):
    node = get_object_or_404(organizations_for(request.user), code=code)
    root = scope_root(request.user)
    line = list(OrganizationNode.objects.get_ancestors(node))
    ancestors = [a for a in line if root is None or a.path.startswith(root.path)]
    children = list(OrganizationNode.objects.get_children(node))
    today = timezone.localdate()
    counts = rolled_up_counts(node, [node, *children])
    for child in children:
        child.counts = counts[child.pk]
    if node.is_active:
        meetings = {
            "year": today.year,
            "last": last_regular_meeting(node) if node.is_branch else None,
            "totals": node_year(node, today.year),
        }
    else:
        # Its branches have gone with its merger or dissolution: this year's figures would
        # be none. Its years are read in its annual reports, drawn from the tree of each.
        last = (node.dissolved_on - datetime.timedelta(days=1)).year
        first = max(node.established_on.year, last - YEARS_OF_A_DISSOLVED_NODE + 1)
        meetings = {"years_stood": range(last, first - 1, -1)}
    positions = (
        node.positions.open()
        .filter(role__in=PARTY_POSITIONS)
        .select_related("member")
        .order_by("role", "member__sort_key")
    )
    context = {
        "node": node,
        "ancestors": ancestors,
        "children": children,
        "counts": counts[node.pk],
        "meetings": meetings,
        "positions": positions,
        "areas": node.residential_areas.prefetch_related("years") if node.is_branch else [],
        "placements": node.placements.lasting().select_related("parent").order_by("valid_from"),
        # The organization it merged into may lie outside the user's part of the tree now
        # (a former district's officer reads its history): named, then, without a link.
        "merged_into_shown": node.merged_into_id is not None
        and organizations_for(request.user).filter(pk=node.merged_into_id).exists(),
        "may_restructure": is_officer(request.user)
        and competence.competence(request.user, Step.NODE_FORM, node, ancestors=line).allowed,
    }
    return render(request, "organizations/node_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def node_create(request, code):
    parent = get_object_or_404(organizations_for(request.user), code=code)
    found = competence.require_competence(request.user, Step.NODE_FORM, parent)
    form = NodeForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            with competence.recording(found):
                node = domain.create_node(parent=parent, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except IntegrityError:
            # Someone added an organization here at the same moment (the same code, or
            # the same place among the children).
            form.add_error(
                None, _("Another organization was added here at the same time; try again.")
            )
        else:
            return redirect(node)
    return render(
        request,
        "organizations/node_form.html",
        {"form": form, "parent": parent, "competence": found},
    )


@login_required
@require_http_methods(["GET", "POST"])
def node_edit(request, code):
    node = get_object_or_404(organizations_for(request.user), code=code)
    require_write(request.user)
    form = NodeForm(request.POST or None, instance=node)
    if request.method == "POST" and form.is_valid():
        try:
            domain.check_placement(
                kind=node.kind,
                parent=OrganizationNode.objects.get_parent(node),
                sector=form.cleaned_data["sector"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form.save()
            return redirect(node)
    return render(request, "organizations/node_form.html", {"form": form, "node": node})
