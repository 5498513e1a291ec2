"""Transfers of party activity (chuyển sinh hoạt đảng), official and temporary.

Between branches of the system a transfer waits in the receiving branch's inbox until the
member presents the letter and the branch accepts it. To an organization outside the system
it takes effect on the letter date; from outside, the receiving branch records it directly.

Deadlines (working days, partyorg.workdays): an official transfer is due within 60 working
days of the job or residence change; the member presents the letter within 30 working days.
A temporary transfer opens a temporary membership in the host branch, which does not count
in the host branch's total: the home membership stays open.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from branches import competence
from branches.models import OrganizationNode
from branches.queries import scope_root
from members.accounts import follow_members
from members.domain import _check_branch, _check_not_future, register_member
from members.enums import (
    ACTIVE_STATUSES,
    EventKind,
    MembershipKind,
    MemberStatus,
    TransferKind,
    TransferState,
)
from members.models import Member, Membership, StatusEvent, Transfer
from members.party_age import months_between
from partyorg import registers
from partyorg.bulk import update_with_history
from partyorg.rules import RuleKind, TransferRule, rule_in_force
from partyorg.workdays import add_working_days


def transfer_rule(day: datetime.date) -> TransferRule:
    return rule_in_force(RuleKind.TRANSFER, day)


def transfers_for(user) -> QuerySet[Transfer]:
    """Transfers the user may see: of members in scope, or addressed to a branch in scope."""
    transfers = Transfer.objects.select_related("member", "from_branch", "to_branch")
    if user.is_superuser:
        return transfers
    root = scope_root(user)
    if root is None:
        return transfers.none()
    return transfers.filter(
        Q(member__branch__path__startswith=root.path)
        | Q(to_branch__path__startswith=root.path)
        | Q(from_branch__path__startswith=root.path)
    )


def inbox_for(user) -> QuerySet[Transfer]:
    """Pending transfers addressed to a branch in the user's subtree."""
    transfers = transfers_for(user).filter(state=TransferState.PENDING, to_branch__isnull=False)
    root = scope_root(user)
    if root is not None:
        transfers = transfers.filter(to_branch__path__startswith=root.path)
    return transfers.order_by("present_by", "id")


def can_decide(user, transfer: Transfer) -> bool:
    """The receiving branch decides: its secretary, or an officer whose subtree holds it."""
    if transfer.to_branch_id is None:
        return False
    if user.is_superuser:
        return True
    root = scope_root(user)
    return root is not None and transfer.to_branch.path.startswith(root.path)


def _check_temporary_period(
    start: datetime.date, until: datetime.date | None, for_study: bool
) -> None:
    if until is None:
        raise ValidationError({"planned_until": _("A temporary transfer needs an end date.")})
    if until <= start:
        raise ValidationError({"planned_until": _("The end date must be after the letter date.")})
    months = months_between(start, until)
    rule = transfer_rule(start)
    if months < rule.temporary_min_months:
        raise ValidationError({"planned_until": _("A temporary transfer lasts at least 3 months.")})
    if for_study and months > rule.study_max_months:
        raise ValidationError(
            {"planned_until": _("A temporary transfer for study lasts at most 2 years.")}
        )
    if not for_study and months >= rule.temporary_max_months:
        raise ValidationError(
            {"planned_until": _("A temporary transfer lasts less than 1 year (2 years for study).")}
        )


def _deadlines(change_date, letter_date) -> tuple[datetime.date | None, datetime.date]:
    due = (
        add_working_days(change_date, transfer_rule(change_date).official_due_working_days)
        if change_date
        else None
    )
    presentation = transfer_rule(letter_date).letter_presentation_working_days
    return due, add_working_days(letter_date, presentation)


@transaction.atomic
def request_transfer(
    member: Member,
    *,
    kind: str,
    letter_number: str,
    letter_date: datetime.date,
    to_branch: OrganizationNode | None = None,
    to_outside: str = "",
    change_date: datetime.date | None = None,
    planned_until: datetime.date | None = None,
    for_study: bool = False,
    reason: str = "",
    by=None,
) -> Transfer:
    """Issue a transfer letter for a member of the sending branch. `letter_number` as
    typed is a letter issued on paper; left empty, the app issues the letter: the next
    number of the issuing body's register (letter_issuer), signed by its secretary.

    Effects: a Transfer with its deadlines. To a branch of the system it is pending in that
    branch's inbox. To an organization outside the system it takes effect on the letter
    date: an official one ends the member's memberships, sets the status "transferred out"
    and writes a "transferred out" event; a temporary one only keeps the letter.
    """
    member = Member.objects.select_for_update().get(pk=member.pk)
    to_outside = to_outside.strip()
    letter_number = letter_number.strip()
    errors = {}
    if kind not in TransferKind.values:
        errors["kind"] = _("Choose official or temporary.")
    if member.status not in ACTIVE_STATUSES:
        errors["__all__"] = _("Only a member in the party can be transferred.")
    elif member.transfers.filter(state=TransferState.PENDING).exists():
        errors["__all__"] = _("This member already has a transfer waiting to be accepted.")
    if bool(to_branch) == bool(to_outside):
        errors["to_branch"] = _(
            "Choose a branch of the system or name an organization outside it (one of the two)."
        )
    elif to_branch is not None:
        if to_branch.pk == member.branch_id:
            errors["to_branch"] = _("The member already belongs to this branch.")
        elif not to_branch.is_branch or not to_branch.is_active:
            errors["to_branch"] = _("Choose an active branch.")
    if change_date and change_date > letter_date:
        errors["change_date"] = _("The change cannot come after the letter.")
    home = member.memberships.open().filter(kind=MembershipKind.HOME).first()
    if home and letter_date < home.start_date:
        errors["letter_date"] = _("The letter is dated before the member joined the branch.")
    if errors:
        raise ValidationError(errors)
    _check_not_future(letter_date, "letter_date")
    if kind == TransferKind.TEMPORARY:
        _check_temporary_period(letter_date, planned_until, for_study)
    elif planned_until:
        raise ValidationError(
            {"planned_until": _("An official transfer has no end date; leave it empty.")}
        )
    request_due, present_by = _deadlines(change_date, letter_date)
    if not letter_number:
        letter_number = _issue_letter(member, kind, to_branch, letter_date, by)
    transfer = Transfer.objects.create(
        member=member,
        kind=kind,
        state=TransferState.PENDING,
        from_branch_id=member.branch_id,
        to_branch=to_branch,
        to_outside=to_outside,
        letter_number=letter_number,
        letter_date=letter_date,
        change_date=change_date,
        request_due=request_due,
        present_by=present_by,
        planned_until=planned_until,
        for_study=for_study,
        reason=reason,
        created_by=by,
    )
    if to_branch is None:
        transfer.state = TransferState.ACCEPTED
        transfer.accepted_on = letter_date
        transfer.save(update_fields=["state", "accepted_on"])
        if kind == TransferKind.OFFICIAL:
            update_with_history(member.memberships.open(), by=by, end_date=letter_date)
            member.status = MemberStatus.TRANSFERRED_OUT
            member.save(update_fields=["status", "updated_at"])
            StatusEvent.objects.create(
                member=member,
                kind=EventKind.TRANSFERRED_OUT,
                date=letter_date,
                document_number=letter_number,
                from_branch_id=member.branch_id,
                note=to_outside,
                recorded_by=by,
            )
    return transfer


def letter_issuer(transfer: Transfer) -> OrganizationNode | None:
    """The committee that issues the letter: the grassroots committee for a transfer inside
    its organization or a temporary one, the committee above for an official transfer that
    leaves it (branches.competence)."""
    step = competence.transfer_step(
        transfer.from_branch,
        transfer.to_branch,
        official=transfer.kind == TransferKind.OFFICIAL,
    )
    return competence.deciding_body(step, transfer.from_branch, transfer.letter_date)


def _issue_letter(member, kind, to_branch, letter_date, by) -> str:
    draft = Transfer(
        member=member,
        kind=kind,
        from_branch=member.branch,
        to_branch=to_branch,
        letter_date=letter_date,
    )
    issuer = letter_issuer(draft)
    if issuer is None or not registers.has_signer(issuer, letter_date):
        raise ValidationError(
            {
                "letter_number": _(
                    "Nobody holds the secretary or deputy secretary post of %(body)s on "
                    "%(day)s, so the letter would have no signer: record who holds the post, "
                    "or type the number of a letter issued on paper."
                )
                % {
                    "body": issuer.name if issuer else member.branch.name,
                    "day": f"{letter_date:%d/%m/%Y}",
                }
            }
        )
    return registers.issue_number(
        issuer,
        code="GGT",
        on=letter_date,
        summary=f"Giấy giới thiệu sinh hoạt đảng: {member.full_name}",
        by=by,
    )


def _pending(transfer: Transfer) -> Transfer:
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.state != TransferState.PENDING:
        raise ValidationError(_("This transfer is no longer waiting for an answer."))
    return transfer


@transaction.atomic
def accept_transfer(transfer: Transfer, *, on: datetime.date, by=None, answer: str = "") -> None:
    """The receiving branch accepts the letter the member presented on `on`.

    Effects, official: the home membership ends at `on`, a new one starts in the receiving
    branch, the cached branch changes, a "transferred" event with the letter number.
    Temporary: a temporary membership in the host branch from `on` (the home one stays
    open, and the member is not counted in the host's total). The transfer is accepted.
    """
    transfer = _pending(transfer)
    member = Member.objects.select_for_update().get(pk=transfer.member_id)
    if member.status not in ACTIVE_STATUSES:
        raise ValidationError(_("This member is no longer in the party."))
    if on < transfer.letter_date:
        raise ValidationError({"on": _("The letter cannot be presented before it was issued.")})
    _check_not_future(on, "on")
    _check_branch(transfer.to_branch)
    open_rows = member.memberships.open()
    if transfer.kind == TransferKind.OFFICIAL:
        home = open_rows.get(kind=MembershipKind.HOME)
        if on < home.start_date:
            raise ValidationError(
                {"on": _("The date is before the member joined the current branch.")}
            )
        # A temporary stay in the new home branch becomes the home membership.
        update_with_history(
            open_rows.filter(kind=MembershipKind.TEMPORARY, branch=transfer.to_branch),
            by=by,
            end_date=on,
        )
        home.end_date = on
        home.save(update_fields=["end_date"])
        Membership.objects.create(member=member, branch=transfer.to_branch, start_date=on)
        StatusEvent.objects.create(
            member=member,
            kind=EventKind.TRANSFERRED,
            date=on,
            document_number=transfer.letter_number,
            from_branch_id=member.branch_id,
            to_branch=transfer.to_branch,
            recorded_by=by,
        )
        member.branch = transfer.to_branch
        member.save(update_fields=["branch", "updated_at"])
        follow_members(
            [member.pk], to_branch=transfer.to_branch, by=by, reason=transfer.letter_number
        )
    else:
        current = open_rows.filter(kind=MembershipKind.TEMPORARY).select_related("branch").first()
        if current is not None:
            raise ValidationError(
                _("The member is already active in %(branch)s on a temporary transfer.")
                % {"branch": current.branch.name}
            )
        Membership.objects.create(
            member=member,
            branch=transfer.to_branch,
            kind=MembershipKind.TEMPORARY,
            start_date=on,
        )
    transfer.state = TransferState.ACCEPTED
    transfer.accepted_on = on
    transfer.answer = answer
    transfer.decided_by = by
    transfer.save(update_fields=["state", "accepted_on", "answer", "decided_by"])


@transaction.atomic
def reject_transfer(transfer: Transfer, *, answer: str, by=None) -> None:
    """The receiving branch returns the letter, saying why.

    Effects: the transfer is returned with the answer; the member stays where they are.
    """
    transfer = _pending(transfer)
    if not answer.strip():
        raise ValidationError({"answer": _("Say why the transfer is returned.")})
    transfer.state = TransferState.REJECTED
    transfer.answer = answer.strip()
    transfer.decided_by = by
    transfer.save(update_fields=["state", "answer", "decided_by"])


@transaction.atomic
def cancel_transfer(transfer: Transfer, *, by=None) -> None:
    """The sending branch withdraws a letter not yet accepted. Effects: state withdrawn."""
    transfer = _pending(transfer)
    transfer.state = TransferState.CANCELLED
    transfer.decided_by = by
    transfer.save(update_fields=["state", "decided_by"])


@transaction.atomic
def end_temporary(transfer: Transfer, *, on: datetime.date, by=None) -> None:
    """The member's temporary activity ends and they are back in the home branch only.

    Effects: the temporary membership in the host branch ends at `on`; the transfer ends.
    """
    transfer = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.kind != TransferKind.TEMPORARY or transfer.state != TransferState.ACCEPTED:
        raise ValidationError(_("Only an accepted temporary transfer can be ended."))
    if on < transfer.accepted_on:
        raise ValidationError({"on": _("The end cannot come before the start.")})
    _check_not_future(on, "on")
    if transfer.to_branch_id:
        update_with_history(
            transfer.member.memberships.open().filter(
                branch=transfer.to_branch, kind=MembershipKind.TEMPORARY
            ),
            by=by,
            end_date=on,
        )
    transfer.state = TransferState.ENDED
    transfer.ended_on = on
    transfer.decided_by = by
    transfer.save(update_fields=["state", "ended_on", "decided_by"])


@transaction.atomic
def receive_from_outside(
    member: Member,
    *,
    branch: OrganizationNode,
    from_outside: str,
    letter_number: str,
    letter_date: datetime.date,
    on: datetime.date,
    by=None,
) -> Transfer:
    """A member arrives by official transfer from an organization outside the system.

    `member` is a new record (unsaved) or a member who was transferred out earlier.
    Effects: a new member is registered in `branch` from `on` (admission events from the
    record); a returning one gets a new home membership and their standing back; either
    way a "transferred in" event and an accepted Transfer with the letter.
    """
    from_outside = from_outside.strip()
    errors = {}
    if not from_outside:
        errors["from_outside"] = _("Name the organization the member comes from.")
    if not letter_number.strip():
        errors["letter_number"] = _("Enter the transfer letter number.")
    if on < letter_date:
        errors["on"] = _("The letter cannot be presented before it was issued.")
    if member.pk and member.status != MemberStatus.TRANSFERRED_OUT:
        errors["__all__"] = _("This member is already in the party in this system.")
    if errors:
        raise ValidationError(errors)
    _check_not_future(on, "on")
    _check_branch(branch)
    if member.pk is None:
        register_member(member, branch=branch, joined_branch_on=on, by=by)
    else:
        member = Member.objects.select_for_update().get(pk=member.pk)
        Membership.objects.create(member=member, branch=branch, start_date=on)
        member.status = MemberStatus.OFFICIAL if member.official_date else MemberStatus.PROBATIONARY
        member.branch = branch
        member.save(update_fields=["status", "branch", "updated_at"])
    StatusEvent.objects.create(
        member=member,
        kind=EventKind.TRANSFERRED_IN,
        date=on,
        document_number=letter_number.strip(),
        to_branch=branch,
        note=from_outside,
        recorded_by=by,
    )
    return Transfer.objects.create(
        member=member,
        kind=TransferKind.OFFICIAL,
        state=TransferState.ACCEPTED,
        from_outside=from_outside,
        to_branch=branch,
        letter_number=letter_number.strip(),
        letter_date=letter_date,
        present_by=add_working_days(
            letter_date, transfer_rule(letter_date).letter_presentation_working_days
        ),
        accepted_on=on,
        created_by=by,
        decided_by=by,
    )
