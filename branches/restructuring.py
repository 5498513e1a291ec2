"""Restructuring of the tree that involves no member: renaming a node, changing its kind,
dissolving a committee, ending a node. Each is dated, runs in one transaction and writes
history rows with who did it; moving and creating are branches.domain's. Operations
that move members (merge, split) are members.restructuring's, built on these."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.accounts import end_roles_on_node
from branches.domain import check_placement, check_restructuring_date, move_nodes
from branches.enums import ALLOWED_CHILDREN, BRANCH_KINDS
from branches.models import NodeName, NodePlacement, OrganizationNode
from partyorg.bulk import update_with_history


@dataclass(frozen=True)
class Follow:
    """What of a merged node follows it into the receiving one (everything by default).
    A child that does not follow moves under the merged node's parent; a residential area
    that does not follow stays with the ended branch (no live branch covers it); open
    candidates and admission targets that do not follow stay with the ended node's
    record. Members of a branch always need a branch: a merge that leaves them behind is
    refused (split the branch instead)."""

    members: bool = True
    branches: bool = True
    areas: bool = True
    candidates: bool = True
    targets: bool = True


EVERYTHING_FOLLOWS = Follow()


def check_active(node: OrganizationNode, on: datetime.date) -> None:
    """Raise ValidationError when `node` cannot be restructured on `on`: it has ended
    (an ended node is never revived), or the date is before its present placement.

    Locks the node's row until the caller's transaction ends, so two officers
    restructuring the same node one after the other: the second finds it ended."""
    node.dissolved_on = (
        OrganizationNode.objects.select_for_update()
        .filter(pk=node.pk)
        .values_list("dissolved_on", flat=True)
        .get()
    )
    if not node.is_active:
        raise ValidationError(
            _("“%(name)s” ended on %(date)s and cannot be restructured.")
            % {"name": node.name, "date": node.dissolved_on.strftime("%d/%m/%Y")}
        )
    check_restructuring_date(node, on)


def active_children(node: OrganizationNode) -> list[OrganizationNode]:
    return list(OrganizationNode.objects.get_children(node).open())


def _save(node: OrganizationNode, fields: list[str], *, by, reason: str) -> None:
    if by is not None:
        node._history_user = by
    node._change_reason = reason
    node.save(update_fields=fields)


@transaction.atomic
def rename_node(
    node: OrganizationNode,
    *,
    on: datetime.date,
    name: str | None = None,
    kind: str | None = None,
    by=None,
) -> OrganizationNode:
    """Give `node` a new name and/or kind from `on` (a grassroots committee becomes a
    commune-level committee, "Đảng bộ xã" becomes "Đảng ủy xã").

    Effects: the name and kind it had until `on` are kept as a NodeName row for the
    period since its establishment or its previous rename (none when that period is
    empty: a second change the same day replaces the first); the node's name and kind
    change; history rows by `by`, "Organization renamed".
    """
    node.refresh_from_db()
    check_active(node, on)
    name = (name or node.name).strip()
    kind = kind or node.kind
    if name == node.name and kind == node.kind:
        raise ValidationError(_("Give a new name or a new kind."))
    previous_end = node.past_names.order_by("-valid_to").values_list("valid_to", flat=True)
    since = previous_end.first() or node.established_on
    if on < since:
        raise ValidationError(
            {"on": _("The date is before the organization's present name began.")}
        )
    if kind != node.kind:
        _check_kind_change(node, kind)
    reason = _("Organization renamed")
    if on > since:
        NodeName.objects.create(
            node=node, name=node.name, kind=node.kind, valid_from=since, valid_to=on
        )
    node.name, node.kind = name, kind
    _save(node, ["name", "kind"], by=by, reason=reason)
    return node


def _check_kind_change(node: OrganizationNode, kind: str) -> None:
    if (node.kind in BRANCH_KINDS) != (kind in BRANCH_KINDS):
        raise ValidationError(
            {"kind": _("A branch stays a branch and a committee a committee; merge instead.")}
        )
    check_placement(kind=kind, parent=OrganizationNode.objects.get_parent(node), sector=node.sector)
    for child in active_children(node):
        if child.kind not in ALLOWED_CHILDREN[kind]:
            raise ValidationError(
                {
                    "kind": _("“%(child)s” cannot stay under the new kind; move it first.")
                    % {"child": child.name}
                }
            )


def end_node(
    node: OrganizationNode,
    *,
    on: datetime.date,
    by,
    reason: str,
    merged_into: OrganizationNode | None = None,
) -> None:
    """Close `node` at `on` once its children are gone: dissolved_on (and merged_into),
    its open placement and the user roles on it closed, history rows by `by` with
    `reason`."""
    node.refresh_from_db()
    if active_children(node):
        raise ValidationError(_("An organization with active children cannot end."))
    node.dissolved_on = on
    node.merged_into = merged_into
    _save(node, ["dissolved_on", "merged_into"], by=by, reason=reason)
    update_with_history(
        NodePlacement.objects.filter(node=node).open(),
        by=by,
        reason=reason,
        valid_to=on,
    )
    end_roles_on_node(node, on=on, by=by)


@transaction.atomic
def dissolve_node(
    node: OrganizationNode,
    *,
    on: datetime.date,
    targets: dict[int, OrganizationNode] | None = None,
    by=None,
) -> None:
    """Dissolve the committee `node` on `on` (its last day is the day before): each of
    its active children moves under its target in `targets` (by child id), else under
    the node's parent, then the node ends. Ended children stay where they ended.

    Effects: move_nodes for the active children; end_node; history rows by `by`,
    "Organization dissolved". A branch is merged or split instead (its members need a
    branch).
    """
    node.refresh_from_db()
    check_active(node, on)
    if node.is_branch:
        raise ValidationError(_("A branch is merged or split, so that its members follow."))
    parent = OrganizationNode.objects.get_parent(node)
    targets = targets or {}
    reason = _("Organization dissolved")
    moves = [(child, targets.get(child.pk, parent)) for child in active_children(node)]
    for child, target in moves:
        if target is None:
            raise ValidationError(
                _("Name the organization “%(child)s” moves to.") % {"child": child.name}
            )
    move_nodes(moves, on=on, by=by, reason=reason)
    end_node(node, on=on, by=by, reason=reason)
