"""Exemption, resumption, exits and readmission of members.

Each function runs in one transaction, writes a dated StatusEvent with the document
that decided it, and keeps the Member row's cached `status` (and `branch`) true. Nothing
is deleted: a member who exits keeps every record and is shown with the new status.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.models import OrganizationNode
from members.accounts import end_member_roles
from members.domain import _check_branch, _check_not_future
from members.enums import (
    ACTIVE_STATUSES,
    EventKind,
    ExitKind,
    MembershipKind,
    MemberStatus,
    TransferState,
)
from members.models import Member, Membership, StatusEvent
from partyorg.bulk import update_with_history

EXIT_STATUS = {
    ExitKind.REMOVED: MemberStatus.REMOVED,
    ExitKind.EXPELLED: MemberStatus.EXPELLED,
    ExitKind.LEFT: MemberStatus.LEFT,
    ExitKind.DECEASED: MemberStatus.DECEASED,
}
EXIT_EVENT = {
    ExitKind.REMOVED: EventKind.REMOVED,
    ExitKind.EXPELLED: EventKind.EXPELLED,
    ExitKind.LEFT: EventKind.LEFT,
    ExitKind.DECEASED: EventKind.DECEASED,
}
# Exits after which readmission is possible (Charter Art. 4: not after expulsion or death).
READMITTABLE = {MemberStatus.REMOVED, MemberStatus.LEFT}


def _locked(member: Member) -> Member:
    return Member.objects.select_for_update().get(pk=member.pk)


def _check_date(member: Member, on: datetime.date, document_number: str) -> None:
    errors = {}
    if not (document_number or "").strip():
        errors["document_number"] = _("Enter the number of the document that decided this.")
    last = member.events.order_by("-date").values_list("date", flat=True).first()
    if last and on < last:
        errors["on"] = _("The date is before the member's last recorded event (%(date)s).") % {
            "date": last.strftime("%d/%m/%Y")
        }
    if errors:
        raise ValidationError(errors)
    _check_not_future(on, "on")


def _event(member, kind, on, document_number, by, note="", **branches) -> StatusEvent:
    return StatusEvent.objects.create(
        member=member,
        kind=kind,
        date=on,
        document_number=document_number.strip(),
        note=note,
        recorded_by=by,
        **branches,
    )


def _standing(member: Member) -> str:
    return MemberStatus.OFFICIAL if member.official_date else MemberStatus.PROBATIONARY


@transaction.atomic
def exempt(
    member: Member, *, on: datetime.date, document_number: str, by=None, note: str = ""
) -> StatusEvent:
    """Exempt an old or ill member from party work and meetings (miễn công tác và sinh hoạt).

    Effects: status becomes exempted (the member stays in the membership count); an
    "exempted" event with the branch's decision number.
    """
    member = _locked(member)
    if member.status not in {MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY}:
        raise ValidationError(_("Only a member taking part in party work can be exempted."))
    _check_date(member, on, document_number)
    member.status = MemberStatus.EXEMPTED
    member.save(update_fields=["status", "updated_at"])
    return _event(member, EventKind.EXEMPTED, on, document_number, by, note)


@transaction.atomic
def resume(
    member: Member, *, on: datetime.date, document_number: str, by=None, note: str = ""
) -> StatusEvent:
    """End an exemption: the member takes part in party work again.

    Effects: status back to official (or probationary); a "resumed" event.
    """
    member = _locked(member)
    if member.status != MemberStatus.EXEMPTED:
        raise ValidationError(_("This member is not exempted."))
    _check_date(member, on, document_number)
    member.status = _standing(member)
    member.save(update_fields=["status", "updated_at"])
    return _event(member, EventKind.RESUMED, on, document_number, by, note)


@transaction.atomic
def record_exit(
    member: Member,
    *,
    kind: str,
    on: datetime.date,
    document_number: str,
    by=None,
    note: str = "",
) -> StatusEvent:
    """A member leaves the party: removal from the roll, expulsion, leaving, or death.

    Effects: the open home membership and any open temporary one end at `on`, and so
    does the role of the member's account (members.accounts); status
    becomes removed / expelled / left / deceased; an event of that kind with the decision
    number. Every earlier record of the member stays.
    """
    member = _locked(member)
    if kind not in EXIT_STATUS:
        raise ValidationError({"kind": _("Choose how the member left the party.")})
    if member.status not in ACTIVE_STATUSES:
        raise ValidationError(_("This member is no longer in the party."))
    _check_date(member, on, document_number)
    open_rows = member.memberships.open()
    if open_rows.started_after(on).exists():
        raise ValidationError({"on": _("The date is before the member joined the current branch.")})
    update_with_history(open_rows, by=by, end_date=on)
    end_member_roles(member, on=on, by=by)
    update_with_history(
        member.transfers.filter(state=TransferState.PENDING),
        by=by,
        state=TransferState.CANCELLED,
        answer=_("The member left the party."),
    )
    member.status = EXIT_STATUS[kind]
    member.save(update_fields=["status", "updated_at"])
    return _event(
        member, EXIT_EVENT[kind], on, document_number, by, note, from_branch=member.branch
    )


@transaction.atomic
def readmit(
    member: Member,
    *,
    branch: OrganizationNode,
    on: datetime.date,
    document_number: str,
    by=None,
    note: str = "",
) -> StatusEvent:
    """Readmit a member who was removed or who left (kết nạp lại); allowed once.

    Effects: a new home membership in `branch` from `on`; status official (or
    probationary when the member never became official); the cached branch changes;
    a "readmitted" event. Party age keeps counting from the first admission decision,
    minus the time outside.
    """
    member = _locked(member)
    if member.status not in READMITTABLE:
        raise ValidationError(
            _("Only a member who was removed from the roll or who left can be readmitted.")
        )
    if member.events.filter(kind=EventKind.READMITTED).exists():
        raise ValidationError(_("This member has already been readmitted once."))
    _check_branch(branch)
    _check_date(member, on, document_number)
    Membership.objects.create(member=member, branch=branch, kind=MembershipKind.HOME, start_date=on)
    member.status = _standing(member)
    member.branch = branch
    member.save(update_fields=["status", "branch", "updated_at"])
    return _event(member, EventKind.READMITTED, on, document_number, by, note, to_branch=branch)
