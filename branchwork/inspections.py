"""Inspections (kiểm tra) and the yearly target of each branch (partyorg.rules
inspection_target: 2 with a committee, 1 without)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.enums import BRANCH_KINDS
from branches.models import OrganizationNode
from branches.queries import scope_root
from branchwork.models import Inspection
from members.enums import ACTIVE_STATUSES
from members.models import Member
from members.queries import official_on
from partyorg.rules import inspection_target


def inspections_for(user) -> QuerySet[Inspection]:
    """Inspections made by an organization in the user's subtree."""
    inspections = Inspection.objects.select_related(
        "inspecting_node", "inspected_node", "inspected_member"
    )
    if user.is_superuser:
        return inspections
    root = scope_root(user)
    if root is None:
        return inspections.none()
    return inspections.filter(inspecting_node__path__startswith=root.path)


def inspection_targets(root: OrganizationNode, year: int) -> QuerySet[OrganizationNode]:
    """Active branches of the subtree with their official members and the inspections
    they made in `year`: one query. Their targets come from `with_targets`."""
    official = (
        Member.objects.filter(branch=OuterRef("pk"), status__in=ACTIVE_STATUSES)
        .filter(official_on(timezone.localdate()))
        .values("branch")
        .annotate(n=Count("id"))
        .values("n")
    )
    done = (
        Inspection.objects.filter(inspecting_node=OuterRef("pk"), date__year=year)
        .values("inspecting_node")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        OrganizationNode.objects.open()
        .filter(path__startswith=root.path, kind__in=BRANCH_KINDS)
        .annotate(
            official=Coalesce(Subquery(official, output_field=IntegerField()), 0),
            done=Coalesce(Subquery(done, output_field=IntegerField()), 0),
        )
        .order_by("path")
    )


def with_targets(branches, year: int) -> list[OrganizationNode]:
    """The branches of inspection_targets, each with its `target` for `year`."""
    branches = list(branches)
    for branch in branches:
        branch.target = inspection_target(branch.official, datetime.date(year, 12, 31))
    return branches


def target_summary(targets: QuerySet[OrganizationNode], year: int) -> dict[str, int]:
    """How many branches there are and how many met their target."""
    end = datetime.date(year, 12, 31)
    rows = list(targets.values_list("done", "official"))
    met = sum(1 for done, official in rows if done >= inspection_target(official, end))
    return {"branches": len(rows), "met": met}


@transaction.atomic
def record_inspection(
    *,
    inspecting_node: OrganizationNode,
    date: datetime.date,
    subject: str,
    inspected_node: OrganizationNode | None = None,
    inspected_member=None,
    conclusion: str = "",
    document_number: str = "",
    by=None,
) -> Inspection:
    """Record an inspection by `inspecting_node` of an organization in its subtree or of a
    member of it. Effects: an Inspection row (with history)."""
    errors = {}
    if not subject.strip():
        errors["subject"] = _("Say what was inspected.")
    if inspected_node is None and inspected_member is None:
        errors["inspected_node"] = _("Choose the organization or the member inspected.")
    if inspected_node is not None and not inspected_node.path.startswith(inspecting_node.path):
        errors["inspected_node"] = _("An organization inspects only organizations below it.")
    if inspected_member is not None and not inspected_member.branch.path.startswith(
        inspecting_node.path
    ):
        errors["inspected_member"] = _("An organization inspects only its own members.")
    if date > timezone.localdate():
        errors["date"] = _("This date is in the future.")
    elif date < inspecting_node.established_on:
        errors["date"] = _("The organization did not exist yet on this date.")
    if errors:
        raise ValidationError(errors)
    return Inspection.objects.create(
        inspecting_node=inspecting_node,
        date=date,
        subject=subject.strip(),
        inspected_node=inspected_node,
        inspected_member=inspected_member,
        conclusion=conclusion.strip(),
        document_number=document_number.strip(),
        recorded_by=by,
    )
