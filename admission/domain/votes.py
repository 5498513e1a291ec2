"""From the branch vote to the ceremony: the vote, the grassroots resolution, the
decision (and its extended deadline) and the admission ceremony."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from admission.deadlines import decision_due, passed_vote
from admission.domain.common import (
    advance,
    away_on,
    check_not_before,
    check_not_future,
    deciding_bodies,
    exempted_on,
    grassroots_of,
    issued_number,
    lock_file,
    missing_before_vote,
    official_members_on,
    record_document,
    require_stage,
    save_by,
    two_thirds_agree,
)
from admission.enums import (
    AWAITING_DECISION,
    DocumentCode,
    Stage,
    VoteKind,
)
from admission.models import (
    AdmissionDecision,
    BranchVote,
    Candidate,
    GrassrootsResolution,
)
from admission.rules import (
    course_valid_until,
    eligibility_problems,
    rule_on,
)
from branches import competence
from branches.models import OrganizationNode
from members import domain as members_domain
from members.models import PERSONAL_FIELDS, Member
from partyorg.workdays import WorkingCalendar


@transaction.atomic
def record_branch_vote(
    candidate: Candidate,
    *,
    on: datetime.date,
    agreeing: int,
    disagreeing: int,
    resolution_number: str = "",
    exempted_absent: int = 0,
    signer=None,
    by=None,
) -> BranchVote:
    """Record the branch's vote on admitting the candidate.

    Checks again, on the vote date: age and education, the course certificate, the
    documents the branch must hold. Counts the branch's official members on that date.
    Effects: the BranchVote row with the rule version; when at least two thirds of the
    official members agree, the 6-KNĐ checklist row and stage "branch resolution".
    """
    candidate = lock_file(candidate)
    require_stage(candidate, Stage.VERIFIED)
    check_not_future(on, "on")
    check_not_before(on, candidate.verified_on, "on", _("the background verification"))
    errors = eligibility_problems(candidate, on, at_vote=True)
    if course_valid_until(candidate.course_date, candidate.course_date) < on:
        errors["course_date"] = _("The course certificate has expired (valid 5 years).")
    held = set(candidate.documents.values_list("code", flat=True))
    missing = missing_before_vote(candidate, held)
    if missing:
        errors["__all__"] = _("Documents missing before the vote: %(forms)s.") % {
            "forms": ", ".join(str(DocumentCode(code).label) for code in missing)
        }
    if errors:
        raise ValidationError(errors)
    vote = save_vote(
        candidate,
        VoteKind.ADMISSION,
        on,
        agreeing,
        disagreeing,
        resolution_number,
        exempted_absent,
        by,
    )
    if vote.passed:
        number_resolution(
            vote, f"Nghị quyết đề nghị kết nạp đảng viên: {candidate.full_name}", signer
        )
        record_document(
            candidate,
            code=DocumentCode.BRANCH_RESOLUTION,
            number=vote.resolution_number,
            date=on,
            by=by,
        )
        advance(candidate, Stage.BRANCH_RESOLVED, by, [])
    return vote


def number_resolution(vote: BranchVote, summary: str, signer=None) -> None:
    """The branch resolution of a passed vote: the typed number, else issued by the app
    (signed by `signer` when nobody holds the branch's signing post)."""
    vote.resolution_number = issued_number(
        vote.resolution_number,
        vote.candidate.branch,
        code="NQ",
        on=vote.date,
        summary=summary,
        by=vote.recorded_by,
        signer=signer,
    )
    vote.save(update_fields=["resolution_number"])


def save_vote(
    candidate, kind, on, agreeing, disagreeing, resolution_number, exempted_absent, by
) -> BranchVote:
    """The vote counted on its base: the official members on `on`, less, where the rule
    says so, those away on temporary transfer and the exempted members who were absent."""
    rule = rule_on(on)
    official = official_members_on(candidate.branch, on)
    away, exempted = 0, 0
    if rule.vote_base_excludes_away:
        away = away_on(candidate.branch, on)
        exempted = exempted_on(candidate.branch, on)
    if exempted_absent > exempted:
        raise ValidationError(
            {
                "exempted_absent": _(
                    "The branch had %(count)s exempted official members on that date "
                    "(%(rule)s counts only those)."
                )
                % {"count": exempted, "rule": rule}
            }
        )
    base = official - away - exempted_absent
    if agreeing + disagreeing > base:
        raise ValidationError(
            {
                "agreeing": _(
                    "The vote counts %(count)s official members on that date (%(away)s away on "
                    "temporary transfer and %(absent)s absent exempted members left out); "
                    "agreeing and disagreeing together cannot be more."
                )
                % {"count": base, "away": away, "absent": exempted_absent}
            }
        )
    vote = BranchVote(
        candidate=candidate,
        kind=kind,
        date=on,
        resolution_number=resolution_number,
        official_members=official,
        away=away,
        exempted_absent=exempted_absent,
        agreeing=agreeing,
        disagreeing=disagreeing,
        passed=two_thirds_agree(agreeing, base),
        rule_version=rule.version,
        recorded_by=by,
    )
    return save_by(vote, by)


@transaction.atomic
def extend_decision_deadline(
    candidate: Candidate, *, on: datetime.date, reason: str, by=None
) -> Candidate:
    """Extend the time for the admission decision by 30 working days, once.

    Effects: the extension date and reason on the file; the decision deadline moves.
    """
    candidate = lock_file(candidate)
    require_stage(candidate, *AWAITING_DECISION)
    if candidate.decision_extended_on:
        raise ValidationError(_("The decision deadline has already been extended once."))
    check_not_future(on, "on")
    vote = passed_vote(candidate, VoteKind.ADMISSION)
    if on > decision_due(vote.date, extended=False, cal=WorkingCalendar()):
        raise ValidationError({"on": _("The deadline had already passed on that date.")})
    candidate.decision_extended_on = on
    candidate.decision_extension_reason = reason
    save_by(candidate, by, update_fields=["decision_extended_on", "decision_extension_reason"])
    return candidate


@transaction.atomic
def record_grassroots_resolution(
    candidate: Candidate, *, number: str, date: datetime.date, signer=None, by=None
) -> GrassrootsResolution:
    """Record the grassroots committee's resolution approving the branch's proposal.

    Effects: the GrassrootsResolution row; the 8-KNĐ checklist row; stage "grassroots
    resolution".
    """
    candidate = lock_file(candidate)
    require_stage(candidate, Stage.BRANCH_RESOLVED)
    check_not_future(date, "date")
    vote = passed_vote(candidate, VoteKind.ADMISSION)
    check_not_before(date, vote.date, "date", _("the branch resolution"))
    grassroots = grassroots_of(candidate.branch)
    number = issued_number(
        number,
        grassroots,
        code="NQ",
        on=date,
        summary=f"Nghị quyết về kết nạp đảng viên: {candidate.full_name}",
        by=by,
        signer=signer,
    )
    resolution = GrassrootsResolution(
        candidate=candidate, number=number, date=date, node=grassroots
    )
    save_by(resolution, by)
    record_document(
        candidate, code=DocumentCode.GRASSROOTS_RESOLUTION, number=number, date=date, by=by
    )
    advance(candidate, Stage.GRASSROOTS_RESOLVED, by, [])
    return resolution


def check_issuing_body(candidate, issuing_body, step: str, day: datetime.date):
    if not deciding_bodies(candidate.branch, step, day).filter(pk=issuing_body.pk).exists():
        raise ValidationError(
            {"issuing_body": _("The decision is issued by a party committee above the branch.")}
        )


@transaction.atomic
def record_decision(
    candidate: Candidate,
    *,
    number: str,
    date: datetime.date,
    issuing_body: OrganizationNode,
    received_on: datetime.date | None = None,
    signer=None,
    by=None,
) -> AdmissionDecision:
    """Record the decision admitting the candidate (9-KNĐ), and the day the branch received
    it, from which the ceremony's deadline counts.

    Effects: the AdmissionDecision row; the 9-KNĐ checklist row; stage "admission decided".
    A decision after its deadline is recorded and shown as late.
    """
    candidate = lock_file(candidate)
    require_stage(candidate, Stage.GRASSROOTS_RESOLVED)
    check_not_future(date, "date")
    resolution = candidate.grassroots_resolutions.get(kind=VoteKind.ADMISSION)
    check_not_before(date, resolution.date, "date", _("the grassroots resolution"))
    check_issuing_body(candidate, issuing_body, competence.Step.ADMISSION_DECISION, date)
    if received_on is not None:
        check_not_future(received_on, "received_on")
        check_not_before(received_on, date, "received_on", _("the decision"))
    number = issued_number(
        number,
        issuing_body,
        code="QĐ",
        on=date,
        summary=f"Quyết định kết nạp đảng viên: {candidate.full_name}",
        by=by,
        signer=signer,
    )
    decision = AdmissionDecision(
        candidate=candidate,
        number=number,
        date=date,
        received_on=received_on,
        issuing_body=issuing_body,
    )
    save_by(decision, by)
    record_document(candidate, code=DocumentCode.DECISION, number=number, date=date, by=by)
    advance(candidate, Stage.DECIDED, by, [])
    return decision


@transaction.atomic
def hold_ceremony(
    candidate: Candidate, *, on: datetime.date, member_number: str, by=None
) -> Member:
    """Record the admission ceremony: the candidate becomes a probationary member.

    Effects: a Member record (probationary) through members.domain.register_member, with
    its home Membership in the candidate's branch and an "admitted" event carrying the
    decision number; the ceremony date and the member link on the file; stage
    "probationary member".
    """
    candidate = lock_file(candidate)
    require_stage(candidate, Stage.DECIDED)
    check_not_future(on, "on")
    decision = candidate.decisions.get(kind=VoteKind.ADMISSION)
    check_not_before(on, decision.date, "on", _("the admission decision"))
    member = Member(
        member_number=member_number,
        **{field: getattr(candidate, field) for field in PERSONAL_FIELDS},
        admission_decision_date=decision.date,
        admission_date=on,
    )
    members_domain.register_member(
        member, branch=candidate.branch, admission_document=decision.number, by=by
    )
    candidate.member = member
    candidate.ceremony_date = on
    advance(candidate, Stage.PROBATION, by, ["member", "ceremony_date"])
    return member
