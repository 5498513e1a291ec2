"""Restructuring that moves members: merging nodes and splitting one. Members moved here
are recorded as restructuring (a "restructured" event), never as transfers, so the
movement table puts them on its restructuring lines. Each function runs in one
transaction; the tree side is branches.restructuring's."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from branches.domain import check_placement, cover_areas, move_nodes
from branches.models import OrganizationNode, ResidentialArea
from branches.restructuring import (
    EVERYTHING_FOLLOWS,
    Follow,
    active_children,
    check_active,
    end_node,
)
from members.accounts import follow_members
from members.enums import EventKind, MembershipKind
from members.models import Member, Membership, StatusEvent
from partyorg.bulk import update_with_history


@dataclass
class Assignment:
    """Where the parts of a node go when it ends: by id, its active children (target
    parents), members (target branches) and residential areas (target branches). Parts not
    named go to `default`, when given."""

    children: dict[int, OrganizationNode] = field(default_factory=dict)
    members: dict[int, OrganizationNode] = field(default_factory=dict)
    areas: dict[int, OrganizationNode] = field(default_factory=dict)
    default: OrganizationNode | None = None


def _current_members(branch: OrganizationNode) -> list[int]:
    return list(
        Membership.objects.open()
        .filter(branch=branch, kind=MembershipKind.HOME)
        .values_list("member_id", flat=True)
    )


def _target(chosen: dict, pk: int, default, unassigned: str) -> OrganizationNode:
    target = chosen.get(pk, default)
    if target is None:
        raise ValidationError(unassigned)
    return target


def _check_branch_target(target: OrganizationNode) -> None:
    if not target.is_branch:
        raise ValidationError(_("Members and residential areas go to a branch."))
    if not target.is_active:
        raise ValidationError(
            _("“%(name)s” has ended and cannot receive anything.") % {"name": target.name}
        )


def move_members(
    member_ids: list[int],
    *,
    from_branch: OrganizationNode,
    to_branch: OrganizationNode,
    on: datetime.date,
    document_number: str,
    by,
    reason: str,
) -> None:
    """End the members' open home memberships in `from_branch` at `on` and open them in
    `to_branch`; a "restructured" event each; the members' cached branch; history rows."""
    if not member_ids:
        return
    update_with_history(
        Membership.objects.open().filter(
            branch=from_branch, member_id__in=member_ids, kind=MembershipKind.HOME
        ),
        by=by,
        reason=reason,
        end_date=on,
    )
    bulk_create_with_history(
        [Membership(member_id=pk, branch=to_branch, start_date=on) for pk in member_ids],
        Membership,
        default_user=by,
        default_change_reason=reason,
    )
    bulk_create_with_history(
        [
            StatusEvent(
                member_id=pk,
                kind=EventKind.RESTRUCTURED,
                date=on,
                document_number=document_number,
                from_branch=from_branch,
                to_branch=to_branch,
                note=reason,
                recorded_by=by,
            )
            for pk in member_ids
        ],
        StatusEvent,
        default_user=by,
        default_change_reason=reason,
    )
    update_with_history(
        Member.objects.filter(pk__in=member_ids),
        by=by,
        reason=reason,
        branch=to_branch,
        updated_at=timezone.now(),
    )
    follow_members(member_ids, to_branch=to_branch, by=by, reason=reason)


def _distribute(
    node: OrganizationNode,
    plan: Assignment,
    *,
    on: datetime.date,
    document_number: str,
    by,
    reason: str,
    merged_into: OrganizationNode | None = None,
    areas_stay: bool = False,
) -> None:
    """Move every active child, member and area of `node` to its target (all checked
    before anything moves; with `areas_stay`, areas not named stay with `node`), then end
    `node`, `merged_into` the node it merged into."""
    children = [
        (
            child,
            _target(
                plan.children,
                child.pk,
                plan.default,
                _("Choose where the organization “%(name)s” goes.") % {"name": child.name},
            ),
        )
        for child in active_children(node)
    ]
    for child, target in children:
        if target.path.startswith(node.path):
            raise ValidationError(_("An organization cannot move under the node that ends."))
        check_placement(kind=child.kind, parent=target, sector=child.sector)
    members = []
    if node.is_branch:
        names = dict(
            Member.objects.filter(pk__in=_current_members(node)).values_list("pk", "full_name")
        )
        members = [
            (
                pk,
                _target(
                    plan.members,
                    pk,
                    plan.default,
                    _("Choose where the member “%(name)s” goes.") % {"name": name},
                ),
            )
            for pk, name in names.items()
        ]
    areas = [
        (
            area,
            _target(
                plan.areas,
                area.pk,
                plan.default,
                _("Choose where the residential area “%(name)s” goes.") % {"name": area.name},
            ),
        )
        for area in ResidentialArea.objects.filter(branch=node)
        if not areas_stay or area.pk in plan.areas
    ]
    for _pk, target in members:
        _check_branch_target(target)
    for _area, target in areas:
        _check_branch_target(target)

    move_nodes(children, on=on, by=by, reason=reason)
    by_target: dict[OrganizationNode, list[int]] = {}
    for pk, target in members:
        by_target.setdefault(target, []).append(pk)
    for target, member_ids in by_target.items():
        move_members(
            member_ids,
            from_branch=node,
            to_branch=target,
            on=on,
            document_number=document_number,
            by=by,
            reason=reason,
        )
    cover_areas([(area, target, on) for area, target in areas], by=by, reason=reason)
    end_node(node, on=on, by=by, reason=reason, merged_into=merged_into)


@transaction.atomic
def merge_nodes(
    sources: list[OrganizationNode],
    *,
    into: OrganizationNode,
    on: datetime.date,
    document_number: str = "",
    follow: Follow = EVERYTHING_FOLLOWS,
    by=None,
) -> None:
    """Merge `sources` into `into` (existing, or created for the merge) on `on`: each
    source ends, its last day the day before; what follows is `follow`'s choice.

    Effects: the active children of each source move under `into` (branches
    .domain.move_nodes), or under the source's parent when they do not follow; members of
    a source branch move to the branch `into` (memberships closed and opened at `on`, a
    "restructured" event each); residential areas follow to `into` or stay; each source
    gets dissolved_on and merged_into and its placement closed; history rows for all of
    these by `by` (else the request's user), "Organizations merged".
    """
    into.refresh_from_db()
    if not into.is_active:
        raise ValidationError({"into": _("The target organization has been dissolved.")})
    reason = _("Organizations merged")
    for source in sources:
        source.refresh_from_db()
        if source.pk == into.pk or into.path.startswith(source.path):
            raise ValidationError(
                {"into": _("A node cannot be merged into itself or its subtree.")}
            )
        if source.is_branch != into.is_branch:
            raise ValidationError(
                {
                    "into": _(
                        "A branch can only be merged into a branch, a committee into a committee."
                    )
                }
            )
        check_active(source, on)
        _distribute(
            source,
            _merge_assignment(source, into, follow),
            on=on,
            document_number=document_number,
            by=by,
            reason=reason,
            merged_into=into,
            areas_stay=not follow.areas,
        )


def _merge_assignment(source: OrganizationNode, into: OrganizationNode, follow: Follow):
    if not follow.members and source.is_branch and _current_members(source):
        raise ValidationError(
            _("The members of “%(name)s” need a branch: let them follow, or split it instead.")
            % {"name": source.name}
        )
    plan = Assignment(
        members={pk: into for pk in _current_members(source)} if source.is_branch else {},
        areas={area.pk: into for area in source.residential_areas.all()} if follow.areas else {},
    )
    parent = None if follow.branches else OrganizationNode.objects.get_parent(source)
    for child in active_children(source):
        plan.children[child.pk] = into if follow.branches else parent
    return plan


@transaction.atomic
def split_node(
    node: OrganizationNode,
    *,
    plan: Assignment,
    on: datetime.date,
    document_number: str = "",
    by=None,
) -> None:
    """Split `node` on `on` among the organizations `plan` names: each active child,
    member and residential area goes where the user assigned it (or to `plan.default`);
    then `node` ends. Nothing moves when any part is left unassigned.

    Effects: as merge_nodes, with "Organization split" as the reason.
    """
    node.refresh_from_db()
    check_active(node, on)
    _distribute(
        node,
        plan,
        on=on,
        document_number=document_number,
        by=by,
        reason=_("Organization split"),
        merged_into=plan.default if plan.default and not plan.children else None,
    )
