"""State changes of the organization tree. Each runs in one transaction and keeps the
dated NodePlacement history in step with the treebeard tree."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from branches.enums import ALLOWED_CHILDREN, ROOT_KINDS, SECTOR_KINDS
from branches.models import (
    NODE_CODE,
    AreaCoverage,
    NodePlacement,
    OrganizationNode,
    ResidentialArea,
    normalize_node_code,
)
from partyorg.bulk import update_objects, update_with_history


def check_placement(*, kind: str, parent: OrganizationNode | None, sector: str = "") -> None:
    """Raise ValidationError when a node of `kind` may not sit under `parent`."""
    errors = {}
    if parent is None:
        if kind not in ROOT_KINDS:
            errors["parent"] = _("Only a province or district committee can be a top-level node.")
    else:
        if kind not in ALLOWED_CHILDREN[parent.kind]:
            errors["kind"] = _("A %(child)s cannot be placed under a %(parent)s.") % {
                "child": OrganizationNode(kind=kind).get_kind_display().lower(),
                "parent": parent.get_kind_display().lower(),
            }
        if not parent.is_active:
            errors["parent"] = _("The parent organization has been dissolved.")
    if kind in SECTOR_KINDS and not sector:
        errors["sector"] = _("A grassroots or commune-level organization needs a sector.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_node(
    *,
    parent: OrganizationNode | None,
    code: str,
    name: str,
    kind: str,
    established_on: datetime.date,
    sector: str = "",
    place_name: str = "",
) -> OrganizationNode:
    """Create a node under `parent`, with `code` in upper case (the one code rule,
    NODE_CODE, else ValidationError on "code").

    Effects: the tree node; its first NodePlacement from `established_on`; a history row.
    """
    code = normalize_node_code(code)
    try:
        NODE_CODE(code)
    except ValidationError as error:
        raise ValidationError({"code": error.messages}) from error
    check_placement(kind=kind, parent=parent, sector=sector)
    fields = {
        "code": code,
        "name": name,
        "kind": kind,
        "sector": sector if kind in SECTOR_KINDS else "",
        "place_name": place_name,
        "established_on": established_on,
    }
    tree = OrganizationNode.objects
    node = tree.add_child(parent, fields) if parent else tree.add_root(fields)
    NodePlacement.objects.create(
        node=node, parent=parent, path=node.path, valid_from=established_on
    )
    return node


def _reopen_placements(
    moved: list[tuple[OrganizationNode, OrganizationNode]],
    on: datetime.date,
    *,
    by,
    reason: str,
) -> None:
    """Close the open placements of the subtrees of the `moved` nodes (node, new parent)
    at `on` and open them at the new paths, with history rows carrying `by` and `reason`.
    A placement opened on `on` itself (an earlier move that day) is closed on the day it
    opened, not deleted. Nodes that ended have no open placement and get none: an ended
    node is never revived."""
    parents = {node.pk: parent for node, parent in moved}
    under_moved = Q()
    for node, _parent in moved:
        under_moved |= Q(path__startswith=node.path)
    open_ids = NodePlacement.objects.open().values("node_id")
    subtrees = list(OrganizationNode.objects.filter(under_moved, pk__in=open_ids))
    by_path = {n.path: n for n in subtrees}
    update_with_history(
        NodePlacement.objects.filter(node__in=subtrees).open(),
        by=by,
        reason=reason,
        valid_to=on,
    )
    bulk_create_with_history(
        [
            NodePlacement(
                node=n,
                parent=parents[n.pk]
                if n.pk in parents
                else by_path[n.path[: -OrganizationNode.steplen]],
                path=n.path,
                valid_from=on,
            )
            for n in subtrees
        ],
        NodePlacement,
        default_user=by,
        default_change_reason=reason,
    )


@transaction.atomic
def move_nodes(
    moves: list[tuple[OrganizationNode, OrganizationNode]],
    *,
    on: datetime.date,
    by=None,
    reason: str = "",
) -> None:
    """Move each node of `moves` (node, new parent), in order, with its subtree under its
    new parent from date `on`.

    Effects: the tree changes; every node of the subtrees gets its placement closed at
    `on` and a new one opened with its new path, each with a history row by `by` (else
    the request's user) with `reason` (default "Organization moved"). The placements of
    all the subtrees are written together, in a few queries whatever their number.
    """
    if not moves:
        return
    check_restructuring_dates([node for node, _parent in moves], on)
    for node, new_parent in moves:
        node.refresh_from_db()
        new_parent.refresh_from_db()
        if new_parent.path.startswith(node.path):
            raise ValidationError({"parent": _("A node cannot be moved under itself.")})
        check_placement(kind=node.kind, parent=new_parent, sector=node.sector)
        # treebeard refreshes the node's path, depth and child count after the move.
        OrganizationNode.objects.move(node, new_parent, pos="last-child")
    _reopen_placements(moves, on, by=by, reason=reason or _("Organization moved"))


def move_node(
    node: OrganizationNode,
    *,
    new_parent: OrganizationNode,
    on: datetime.date,
    by=None,
    reason: str = "",
) -> None:
    """Move `node` with its subtree under `new_parent` from date `on` (move_nodes)."""
    move_nodes([(node, new_parent)], on=on, by=by, reason=reason)


def check_restructuring_date(node: OrganizationNode, on: datetime.date) -> None:
    """Raise ValidationError when the tree cannot be restructured at `node` on `on`."""
    check_restructuring_dates([node], on)


def check_restructuring_dates(nodes: list[OrganizationNode], on: datetime.date) -> None:
    """Raise ValidationError when the tree cannot be restructured at any of `nodes` on
    `on`: the day is before one's current placement began, or in the future."""
    if NodePlacement.objects.open().filter(node__in=nodes).started_after(on).exists():
        raise ValidationError(
            {"on": _("The date is before the organization's current placement began.")}
        )
    if on > timezone.localdate():
        raise ValidationError({"on": _("Restructuring cannot be dated in the future.")})


@transaction.atomic
def cover_areas(
    changes: list[tuple[ResidentialArea, OrganizationNode, datetime.date]], *, by=None, reason: str
) -> None:
    """Make each branch cover its area from its day: `changes` are (area, branch, day),
    the areas saved already; ValidationError when a day comes before the start of the
    area's open coverage.

    Effects: each area's open coverage (if any) closed at its day and one opened for the
    branch from that day; the areas' `branch` set where it changed; history rows for all
    of these by `by` (else the request's user) with `reason`. An area whose branch does not
    change keeps its coverage.
    """
    opened = {
        c.area_id: c
        for c in AreaCoverage.objects.open().filter(area__in=[area for area, _b, _d in changes])
    }
    changes = [
        (area, branch, day)
        for area, branch, day in changes
        if area.pk not in opened or opened[area.pk].branch_id != branch.pk
    ]
    closed = []
    for area, _branch, day in changes:
        if area.pk in opened and day < opened[area.pk].valid_from:
            raise ValidationError(
                _("“%(name)s” is covered by its branch only from %(date)s.")
                % {"name": area.name, "date": opened[area.pk].valid_from.strftime("%d/%m/%Y")}
            )
        if area.pk in opened:
            opened[area.pk].valid_to = day
            closed.append(opened[area.pk])
    update_objects(closed, AreaCoverage, ["valid_to"], by=by, reason=reason)
    bulk_create_with_history(
        [AreaCoverage(area=area, branch=branch, valid_from=day) for area, branch, day in changes],
        AreaCoverage,
        default_user=by,
        default_change_reason=reason,
    )
    moved = [area for area, branch, _day in changes if area.branch_id != branch.pk]
    for area, branch, _day in changes:
        area.branch = branch
    update_objects(moved, ResidentialArea, ["branch"], by=by, reason=reason)
