"""Restructuring as the pages and plans perform it: members.restructuring's merge and
split, with the admission work of the ending nodes following (open candidates to the
receiving branch, admission targets of the running and later years to the receiving
organization)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from admission.enums import OPEN_STAGES
from admission.models import AdmissionTarget, Candidate
from branches.models import OrganizationNode
from branches.restructuring import EVERYTHING_FOLLOWS, Follow
from members import restructuring as members_restructuring
from members.restructuring import Assignment


def _move_candidates(
    node: OrganizationNode, chosen: dict[int, OrganizationNode], default, *, by, reason: str
) -> None:
    for candidate in Candidate.objects.filter(branch=node, stage__in=OPEN_STAGES):
        target = chosen.get(candidate.pk, default)
        if target is None or not target.is_branch:
            raise ValidationError(
                _("Choose the branch the candidate “%(name)s” goes to.")
                % {"name": candidate.full_name}
            )
        candidate.branch = target
        if by is not None:
            candidate._history_user = by
        candidate._change_reason = reason
        candidate.save(update_fields=["branch"])


def _move_targets(
    node: OrganizationNode, into: OrganizationNode, on: datetime.date, *, by, reason: str
) -> None:
    """Add the node's targets from `on`'s year on to `into`'s (created where missing)."""
    for target in AdmissionTarget.objects.filter(node=node, year__gte=on.year):
        kept = AdmissionTarget.objects.filter(node=into, year=target.year).first()
        kept = kept or AdmissionTarget(node=into, year=target.year, target=0)
        kept.target += target.target
        if by is not None:
            kept._history_user = by
        kept._change_reason = reason
        kept.save()


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
    """members.restructuring.merge_nodes, then, as `follow` chooses, each source's open
    candidates (of a branch) move to `into` and its admission targets from `on`'s year on
    add to `into`'s; history rows by `by`, "Organizations merged"."""
    members_restructuring.merge_nodes(
        sources, into=into, on=on, document_number=document_number, follow=follow, by=by
    )
    reason = _("Organizations merged")
    for source in sources:
        if follow.candidates:
            _move_candidates(source, {}, into if into.is_branch else None, by=by, reason=reason)
        if follow.targets:
            _move_targets(source, into, on, by=by, reason=reason)


@transaction.atomic
def split_node(
    node: OrganizationNode,
    *,
    plan: Assignment,
    on: datetime.date,
    candidates: dict[int, OrganizationNode] | None = None,
    document_number: str = "",
    by=None,
) -> None:
    """members.restructuring.split_node, then each open candidate of the split branch
    goes to the branch `candidates` names for it (else `plan.default`); the node's
    admission targets stay with it (the user sets the new organizations' own)."""
    members_restructuring.split_node(node, plan=plan, on=on, document_number=document_number, by=by)
    _move_candidates(node, candidates or {}, plan.default, by=by, reason=_("Organization split"))
