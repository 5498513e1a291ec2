"""State changes of member records (restructuring that moves members is
members.restructuring's). Each runs in one transaction and leaves a dated event; the
Member row's `status` and `branch` are caches these functions keep true."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import OrganizationNode
from members.enums import EventKind, MemberStatus
from members.models import Member, Membership, StatusEvent
from partyorg.bulk import insert_rows, insert_with_history, update_objects
from partyorg.dated import add_months
from partyorg.locking import check_version
from partyorg.rules import RuleKind, probation_end, rule_in_force


def _check_branch(branch: OrganizationNode) -> None:
    if not branch.is_branch:
        raise ValidationError({"branch": _("Members can only belong to a branch.")})
    if not branch.is_active:
        raise ValidationError({"branch": _("This branch has been dissolved.")})


def _check_not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


@transaction.atomic
def register_member(
    member: Member,
    *,
    branch: OrganizationNode,
    joined_branch_on: datetime.date | None = None,
    admission_document: str = "",
    by=None,
) -> Member:
    """Enter an existing member's record into the system (not a new admission).

    Effects: the Member row with status official or probationary from `official_date`;
    a home Membership in `branch` from `joined_branch_on` (default: the ceremony date);
    an "admitted" event dated at the admission decision; a "converted" event when the
    member is official.
    """
    _check_branch(branch)
    joined = joined_branch_on or member.admission_date
    problem = joined_branch_error(joined, member.admission_date, today=timezone.localdate())
    if problem:
        raise ValidationError({"joined_branch_on": problem})
    member.branch = branch
    member.status = MemberStatus.OFFICIAL if member.official_date else MemberStatus.PROBATIONARY
    member.full_clean()
    member.save()
    Membership.objects.create(member=member, branch=branch, start_date=joined)
    StatusEvent.objects.create(
        member=member,
        kind=EventKind.ADMITTED,
        date=member.admission_decision_date,
        document_number=admission_document,
        to_branch=branch,
        recorded_by=by,
    )
    if member.official_date:
        StatusEvent.objects.create(
            member=member, kind=EventKind.CONVERTED, date=member.official_date, recorded_by=by
        )
    return member


@transaction.atomic
def update_member(member: Member, *, version: int | None = None, by=None) -> Member:
    """Save corrected personal data of a member (the record form).

    Effects: the Member row (its version raised) and a history row with `by`. `version`,
    the one the form was opened on, refuses the save (partyorg.locking.Stale) when someone
    saved the record since, through any page, import or step.
    """
    check_version(member, version)
    if by is not None:
        member._history_user = by
    member.save()
    return member


def member_record_errors(
    *,
    date_of_birth: datetime.date | None,
    admission_decision_date: datetime.date | None,
    admission_date: datetime.date | None,
    official_date: datetime.date | None,
    today: datetime.date,
) -> dict[str, str]:
    """The rules a member record's dates obey, as {field: message}; empty when valid."""
    errors = {}
    dates = {
        "date_of_birth": date_of_birth,
        "admission_decision_date": admission_decision_date,
        "admission_date": admission_date,
        "official_date": official_date,
    }
    for name, day in dates.items():
        if day and day > today:
            errors[name] = _("This date is in the future.")
    if date_of_birth and admission_decision_date:
        rule = rule_in_force(RuleKind.ADMISSION, admission_decision_date)
        if admission_decision_date < add_months(date_of_birth, rule.min_age_months):
            errors.setdefault(
                "admission_decision_date",
                _("A member is admitted at %(years)s years of age or older (%(rule)s).")
                % {"years": rule.min_age_months // 12, "rule": rule},
            )
    if admission_decision_date and admission_date and admission_date < admission_decision_date:
        errors.setdefault("admission_date", _("The ceremony cannot precede the decision."))
    if admission_date and official_date and official_date < probation_end(admission_date):
        errors.setdefault(
            "official_date", _("Probation lasts 12 months from the admission ceremony.")
        )
    return errors


def joined_branch_error(
    joined: datetime.date, admission_date: datetime.date, *, today: datetime.date
) -> str | None:
    """What is wrong with the day a member entered their branch, or None."""
    if joined < admission_date:
        return _("A member cannot join a branch before the admission.")
    if joined > today:
        return _("This date is in the future.")
    return None


@transaction.atomic
def register_members(members: list[Member], *, by=None, reason: str = "") -> None:
    """Enter many existing members' records at once (an import): register_member in bulk.

    Each member carries its `branch` and has passed member_record_errors.
    Effects: the Member rows with status official or probationary from `official_date`;
    a home Membership each in its branch from its `joined_branch_on` when it has one
    (checked with joined_branch_error), else from the ceremony date; an "admitted" event at
    the decision date and a "converted" event when official; history rows for members
    and memberships with `by` as the user and `reason` as the change reason.
    """
    for member in members:
        _check_branch(member.branch)
        member.status = MemberStatus.OFFICIAL if member.official_date else MemberStatus.PROBATIONARY
        member.refresh_name_keys()
    insert_with_history(Member, members, user=by, reason=reason)
    # Plain rows rather than model instances: an import writes tens of thousands.
    insert_rows(
        Membership,
        ("member_id", "branch_id", "start_date"),
        [
            (m.pk, m.branch_id, getattr(m, "joined_branch_on", None) or m.admission_date)
            for m in members
        ],
        history=True,
        user=by,
        reason=reason,
    )
    recorded_by = by.pk if by is not None else None
    events = [
        (m.pk, EventKind.ADMITTED, m.admission_decision_date, m.branch_id, recorded_by, reason)
        for m in members
    ] + [
        (m.pk, EventKind.CONVERTED, m.official_date, None, recorded_by, reason)
        for m in members
        if m.official_date
    ]
    insert_rows(
        StatusEvent,
        ("member_id", "kind", "date", "to_branch_id", "recorded_by_id", "note"),
        events,
        history=True,
        user=by,
        reason=reason,
    )


@transaction.atomic
def update_members(members: list[Member], *, fields: list[str], by=None, reason: str = "") -> None:
    """Save changed personal fields of many members at once (an import).

    Effects: the Member rows (name keys recomputed, versions raised, so a record form
    opened before the import is refused); a history row each with `by` and `reason`.
    Branch and status are not touched: they change through events.
    """
    now = timezone.now()
    for member in members:
        member.refresh_name_keys()
        member.updated_at = now
    update_objects(
        members, Member, [*fields, "name_folded", "sort_key", "updated_at"], by=by, reason=reason
    )


@transaction.atomic
def convert_to_official(member: Member, *, on: datetime.date, document_number: str, by=None):
    """Make a probationary member official from `on` (the end of the 12 months).

    Effects: status official and the official date on the Member row; a "converted" event
    with the decision number.
    """
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status != MemberStatus.PROBATIONARY:
        raise ValidationError(_("Only a probationary member can be converted."))
    if on <= member.admission_date:
        raise ValidationError({"on": _("Conversion comes after the admission ceremony.")})
    member.status = MemberStatus.OFFICIAL
    member.official_date = on
    if by is not None:
        member._history_user = by
    member.save(update_fields=["status", "official_date", "updated_at"])
    return StatusEvent.objects.create(
        member=member,
        kind=EventKind.CONVERTED,
        date=on,
        document_number=document_number,
        recorded_by=by,
    )
